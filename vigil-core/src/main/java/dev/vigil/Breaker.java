package dev.vigil;

import dev.vigil.job.Hold;
import dev.vigil.limits.BreakerEvent;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.BreakerState;
import dev.vigil.limits.BreakerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One circuit breaker: the state machine of one job type or limit key on this node.
 *
 * <pre>
 *   closed --(failure_ratio of the last min_attempts within window failed)--> open
 *   open --(cool-down passed)--> half_open
 *   half_open --(the probe succeeded)--> closed
 *   half_open --(the probe failed)--> open, for twice the last cool-down (at most max_cool_down)
 * </pre>
 *
 * <p>Only a closed breaker counts attempts. Half-open, it lets exactly one job start (the probe,
 * reserved by {@link #admit}) and decides on that job's verdict alone; a verdict that says nothing
 * about the dependency (a non-retryable failure, a cancellation, a lost lease) frees the probe's
 * place for another job. Each method returns the change it made, if any, for {@link Breakers} to
 * report once this breaker's lock is let go. Thread-safe.
 */
final class Breaker {
  /** What an ended attempt says about the dependency behind a breaker. */
  enum Verdict {
    /** It succeeded. */
    SUCCEEDED,
    /** It failed with a retryable error, or timed out. */
    FAILED,
    /** It says nothing: not retryable, cancelled, given back, or its lease expired. */
    NEUTRAL
  }

  private final String key;
  private final String label;
  private final BreakerSettings settings;
  private final AttemptWindow window;
  private volatile BreakerState state = BreakerState.CLOSED;
  private Instant since;
  private double openingRatio;
  private int opens;
  private Instant nextProbeAt;
  private String probe;
  private Instant probeSince;
  private volatile long lastUsedMillis;

  /** @param label its bounded {@code key} label on the meters ({@link BreakerMeters#label}) */
  Breaker(String key, String label, BreakerSettings settings, Instant now) {
    this.key = key;
    this.label = label;
    this.settings = settings;
    this.window = new AttemptWindow(settings.minAttempts(), settings.window());
    this.since = now;
    this.lastUsedMillis = now.toEpochMilli();
  }

  String key() {
    return key;
  }

  String label() {
    return label;
  }

  /** The state as last moved; an open breaker whose cool-down passed moves on its next call. */
  BreakerState state() {
    return state;
  }

  /** When an attempt last reached it, for evicting the closed breakers used least recently. */
  long lastUsedMillis() {
    return lastUsedMillis;
  }

  /** Records an ended attempt of job {@code jobId}; returns the change it made, or null. */
  synchronized BreakerEvent ended(String jobId, Verdict verdict, Instant now) {
    lastUsedMillis = now.toEpochMilli();
    BreakerEvent moved = advance(now);
    if (moved != null) {
      return moved;
    }
    switch (state) {
      case CLOSED -> {
        if (verdict == Verdict.NEUTRAL) {
          return null;
        }
        window.add(now, verdict == Verdict.FAILED);
        if (window.full() && window.failureRatio() >= settings.failureRatio()) {
          return open(now, window.failureRatio());
        }
        return null;
      }
      case HALF_OPEN -> {
        if (!jobId.equals(probe)) {
          return null;
        }
        probe = null;
        return switch (verdict) {
          case SUCCEEDED -> close(now);
          case FAILED -> open(now, openingRatio);
          case NEUTRAL -> null;
        };
      }
      default -> {
        return null; // open: attempts that started before it opened say nothing new
      }
    }
  }

  /**
   * Whether job {@code jobId} may start now: null when it may (closed, or the probe of a half-open
   * breaker, which it then reserves), else the hold that keeps it ready. A change to half-open on
   * the way is added to {@code changes}.
   */
  synchronized Hold admit(String jobId, Instant now, List<BreakerEvent> changes) {
    BreakerEvent moved = advance(now);
    if (moved != null) {
      changes.add(moved);
    }
    return switch (state) {
      case CLOSED -> null;
      case OPEN -> new Hold(Hold.BREAKER, key, nextProbeAt);
      case HALF_OPEN -> {
        if (probe == null) {
          probe = jobId;
          probeSince = now;
          yield null;
        }
        // looked at again after a cool-down, should the probe's verdict never arrive here
        yield new Hold(Hold.BREAKER, key, now.plus(settings.coolDownAfter(Math.max(1, opens))));
      }
    };
  }

  /** Whether job {@code jobId} is this breaker's probe. */
  synchronized boolean isProbe(String jobId) {
    return jobId.equals(probe);
  }

  /** Job {@code jobId}, admitted as the probe, did not start after all: another may. */
  synchronized void notStarted(String jobId) {
    if (jobId.equals(probe)) {
      probe = null;
    }
  }

  /** Moves an open breaker whose cool-down passed to half-open; returns that change, or null. */
  synchronized BreakerEvent tick(Instant now) {
    return advance(now);
  }

  /** The probe's job id when it was reserved at least {@code grace} ago, else null. */
  synchronized String probeOlderThan(Duration grace, Instant now) {
    return probe != null && !probeSince.plus(grace).isAfter(now) ? probe : null;
  }

  /** The breaker as it stands; move it first ({@link #tick}) to show a cool-down that passed. */
  synchronized BreakerStatus status(Instant now) {
    if (state == BreakerState.CLOSED) {
      window.prune(now);
      return new BreakerStatus(key, state, since, window.failureRatio(), null);
    }
    return new BreakerStatus(key, state, since, openingRatio, state == BreakerState.OPEN ? nextProbeAt : null);
  }

  private BreakerEvent open(Instant now, double ratio) {
    BreakerState from = state;
    opens++;
    openingRatio = ratio;
    nextProbeAt = now.plus(settings.coolDownAfter(opens));
    window.clear();
    return move(from, BreakerState.OPEN, now, nextProbeAt);
  }

  private BreakerEvent close(Instant now) {
    opens = 0;
    nextProbeAt = null;
    window.clear();
    return move(BreakerState.HALF_OPEN, BreakerState.CLOSED, now, null);
  }

  private BreakerEvent advance(Instant now) {
    if (state != BreakerState.OPEN || now.isBefore(nextProbeAt)) {
      return null;
    }
    probe = null;
    BreakerEvent e = move(BreakerState.OPEN, BreakerState.HALF_OPEN, now, null);
    since = nextProbeAt;
    return e;
  }

  private BreakerEvent move(BreakerState from, BreakerState to, Instant now, Instant probeAt) {
    state = to;
    since = now;
    return new BreakerEvent(key, from, to, openingRatio, probeAt, now);
  }
}
