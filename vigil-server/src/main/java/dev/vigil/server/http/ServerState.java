package dev.vigil.server.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Where the server is in its life: {@code starting} until the engine and the listener are up,
 * {@code ready} while it serves, {@code draining} from the moment a stop begins (readiness fails,
 * new work is refused, running jobs get their grace period), {@code stopped} once the engine is
 * closed.
 */
final class ServerState {
  enum Phase {
    STARTING,
    READY,
    DRAINING,
    STOPPED;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private volatile Phase phase = Phase.STARTING;

  Phase phase() {
    return phase;
  }

  void phase(Phase next) {
    phase = next;
  }

  /** True while new jobs, claims and changes are accepted. */
  boolean acceptsWork() {
    return phase == Phase.READY;
  }

  Instant startedAt() {
    return startedAt;
  }

  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
