package dev.vigil.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * When circuit breakers open and how long they stay open ({@code breakers:} of the configuration).
 * A breaker watches one job type, or one limit key that {@code limits:} names exactly: when at
 * least {@code failureRatio} of its last {@code minAttempts} finished attempts within {@code
 * window} failed with a retryable error, it opens and holds the jobs it watches; after {@code
 * coolDown} one probe job runs, and each failed probe doubles the wait, up to {@code maxCoolDown}.
 *
 * <pre>{@code
 * new BreakerSettings(true, 0.5, 20, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5))
 * }</pre>
 *
 * @param enabled false switches every breaker off: nothing is counted or held
 * @param failureRatio the share of failed attempts that opens a breaker, above 0 and at most 1
 * @param minAttempts how many of the latest attempts are looked at; fewer within the window never
 *     open a breaker (at least {@value #MIN_ATTEMPTS_FLOOR}, so a handful of failures says nothing)
 * @param window how far back attempts count, 1 s to 1 h
 * @param coolDown how long a breaker stays open before its first probe, 1 s to 1 h
 * @param maxCoolDown the longest a breaker stays open before a probe, from {@code coolDown} to 1 d
 */
public record BreakerSettings(
    boolean enabled, double failureRatio, int minAttempts, Duration window, Duration coolDown, Duration maxCoolDown) {

  /** The fewest attempts that may open a breaker. */
  public static final int MIN_ATTEMPTS_FLOOR = 20;

  /** The most attempts a breaker may be asked to remember. */
  public static final int MIN_ATTEMPTS_CEILING = 10_000;

  /** On: half of the last 20 attempts within 60 s, open for 30 s doubling up to 5 min. */
  public static final BreakerSettings DEFAULTS =
      new BreakerSettings(true, 0.5, 20, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5));

  /** Every breaker off. */
  public static final BreakerSettings DISABLED = DEFAULTS.withEnabled(false);

  /**
   * @throws IllegalArgumentException naming the setting first ({@code "min_attempts: must be ..."})
   */
  public BreakerSettings {
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw new IllegalArgumentException("failure_ratio: must be above 0 and at most 1 (got " + failureRatio + ")");
    }
    if (minAttempts < MIN_ATTEMPTS_FLOOR || minAttempts > MIN_ATTEMPTS_CEILING) {
      throw new IllegalArgumentException(
          "min_attempts: must be between " + MIN_ATTEMPTS_FLOOR + " and " + MIN_ATTEMPTS_CEILING + " (got " + minAttempts + ")");
    }
    within(window, Duration.ofSeconds(1), Duration.ofHours(1), "window", "1s to 1h");
    within(coolDown, Duration.ofSeconds(1), Duration.ofHours(1), "cool_down", "1s to 1h");
    within(maxCoolDown, coolDown, Duration.ofDays(1), "max_cool_down", "cool_down (" + coolDown.toMillis() + " ms) to 1d");
  }

  /** These settings, switched on or off. */
  public BreakerSettings withEnabled(boolean v) {
    return new BreakerSettings(v, failureRatio, minAttempts, window, coolDown, maxCoolDown);
  }

  /**
   * How long a breaker stays open after its {@code opens}-th opening in a row (1 for the first):
   * {@code coolDown}, doubled for each re-opening, at most {@code maxCoolDown}.
   */
  public Duration coolDownAfter(int opens) {
    if (opens < 1) {
      throw new IllegalArgumentException("openings count from 1");
    }
    Duration d = coolDown;
    for (int i = 1; i < opens && d.compareTo(maxCoolDown) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxCoolDown) > 0 ? maxCoolDown : d;
  }

  private static void within(Duration d, Duration min, Duration max, String name, String range) {
    Objects.requireNonNull(d, name);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + ": must be " + range + " (got " + d.toMillis() + " ms)");
    }
  }
}
