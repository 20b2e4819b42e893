package dev.vigil.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The kit's time: starts at a fixed instant and moves only when a test says so. Every {@code now}
 * the kit passes to a store comes from here, so no test depends on the real clock. Instants stay on
 * whole milliseconds; a store must keep at least millisecond precision.
 */
public final class TestClock {
  /** Where every test starts. */
  public static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");

  private volatile Instant now = BASE;

  public Instant now() {
    return now;
  }

  /** Moves time forward and returns the new now. */
  public Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward");
    }
    now = now.plus(by);
    return now;
  }
}
