package dev.vigil.job;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try a failed job again: exponential back-off with full jitter. After attempt {@code n}
 * fails, the next attempt waits a uniformly random time in {@code [0, min(cap, base * 2^(n-1))]}
 * (the "full jitter" of the AWS architecture note), so that many jobs failing together against a
 * flaky provider do not retry in lock-step. The defaults are 3 attempts, base 30 s, cap 10 min.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {

  /** 3 attempts, base 30 s, cap 10 minutes. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(10));

  /** The most attempts any job may have. */
  public static final int MAX_ATTEMPTS_LIMIT = 100;

  public RetryPolicy {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
      throw new IllegalArgumentException("maxAttempts must be 1.." + MAX_ATTEMPTS_LIMIT);
    }
    if (base.isNegative() || cap.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 <= base <= cap");
    }
  }

  /** The upper bound of the back-off after attempt {@code failedAttempt} (1-based) fails. */
  public Duration ceilingAfter(int failedAttempt) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException("attempts count from 1");
    }
    int shift = Math.min(failedAttempt - 1, 63);
    long baseMillis = base.toMillis();
    long capMillis = cap.toMillis();
    // base << shift is exact while shift < numberOfLeadingZeros(base); from there on it would
    // be at least 2^63, above any cap.
    long ceiling =
        baseMillis == 0 || shift >= Long.numberOfLeadingZeros(baseMillis)
            ? (baseMillis == 0 ? 0 : capMillis)
            : Math.min(capMillis, baseMillis << shift);
    return Duration.ofMillis(ceiling);
  }

  /** A random back-off after attempt {@code failedAttempt} fails, within {@link #ceilingAfter}. */
  public Duration delayAfter(int failedAttempt, RandomGenerator random) {
    long ceiling = ceilingAfter(failedAttempt).toMillis();
    if (ceiling == Long.MAX_VALUE) {
      return Duration.ofMillis(random.nextLong() >>> 1);
    }
    return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }
}
