package dev.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Back-off stays inside {@code [0, min(cap, base * 2^(attempt-1))]}, computed here with {@link
 * BigInteger} so the check cannot share an overflow with the code under test.
 */
class RetryPolicyProperties {
  private static final long SIX_HOURS_MS = Duration.ofHours(6).toMillis();

  @Property
  void every_delay_lies_between_zero_and_the_exponential_ceiling(
      @ForAll("hourScalePolicies") RetryPolicy policy,
      @ForAll @IntRange(min = 1, max = 100) int failedAttempt,
      @ForAll long seed) {
    long expected = expectedCeilingMillis(policy, failedAttempt);

    Duration delay = policy.delayAfter(failedAttempt, new SplittableRandom(seed));

    assertThat(policy.ceilingAfter(failedAttempt)).isEqualTo(Duration.ofMillis(expected));
    assertThat(delay.toMillis()).isBetween(0L, expected);
  }

  @Property
  void huge_attempt_numbers_wait_at_most_the_cap(
      @ForAll("hourScalePolicies") RetryPolicy policy,
      @ForAll @IntRange(min = 64, max = Integer.MAX_VALUE) int failedAttempt,
      @ForAll long seed) {
    Duration ceiling = policy.ceilingAfter(failedAttempt);

    assertThat(ceiling).isEqualTo(policy.base().isZero() ? Duration.ZERO : policy.cap());
    assertThat(policy.delayAfter(failedAttempt, new SplittableRandom(seed)))
        .isBetween(Duration.ZERO, ceiling);
  }

  @Property
  void ceiling_never_overflows_even_for_the_largest_millisecond_durations(
      @ForAll("anyMillisecondPolicies") RetryPolicy policy,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int failedAttempt,
      @ForAll long seed) {
    long expected = expectedCeilingMillis(policy, failedAttempt);

    assertThat(policy.ceilingAfter(failedAttempt).toMillis()).isEqualTo(expected);
    assertThat(policy.delayAfter(failedAttempt, new SplittableRandom(seed)).toMillis())
        .isBetween(0L, expected);
  }

  @Property
  void ceiling_never_shrinks_as_attempts_go_on(
      @ForAll("anyMillisecondPolicies") RetryPolicy policy,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int failedAttempt) {
    assertThat(policy.ceilingAfter(failedAttempt + 1))
        .isGreaterThanOrEqualTo(policy.ceilingAfter(failedAttempt));
  }

  @Property(tries = 200)
  void ceilings_climb_to_the_cap_and_stay_there(@ForAll("hourScalePolicies") RetryPolicy policy) {
    Duration previous = Duration.ZERO;
    for (int attempt = 1; attempt <= 100; attempt++) {
      Duration ceiling = policy.ceilingAfter(attempt);
      assertThat(ceiling).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(policy.cap());
      previous = ceiling;
    }
    assertThat(previous).isEqualTo(policy.base().isZero() ? Duration.ZERO : policy.cap());
  }

  @Example
  void default_policy_is_three_attempts_from_30_seconds_up_to_10_minutes() {
    assertThat(RetryPolicy.DEFAULT.maxAttempts()).isEqualTo(3);
    assertThat(RetryPolicy.DEFAULT.base()).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryPolicy.DEFAULT.cap()).isEqualTo(Duration.ofMinutes(10));
    assertThat(
            java.util.stream.IntStream.rangeClosed(1, 7)
                .mapToObj(RetryPolicy.DEFAULT::ceilingAfter)
                .map(Duration::toSeconds))
        .containsExactly(30L, 60L, 120L, 240L, 480L, 600L, 600L);
  }

  @Example
  void jitter_spreads_retries_over_the_whole_window() {
    var random = new SplittableRandom(42);
    int[] tenSecondBuckets = new int[13];
    for (int i = 0; i < 2_000; i++) {
      long millis = RetryPolicy.DEFAULT.delayAfter(3, random).toMillis();
      assertThat(millis).isBetween(0L, 120_000L);
      tenSecondBuckets[(int) (millis / 10_000)]++;
    }
    // Every ten-second slice of [0, 120 s] is hit, so both halves are covered and
    // jobs failing together do not come back together.
    for (int bucket = 0; bucket < 12; bucket++) {
      assertThat(tenSecondBuckets[bucket])
          .as("draws in [%d s, %d s)", bucket * 10, bucket * 10 + 10)
          .isGreaterThan(50);
    }
  }

  @Example
  void zero_base_retries_at_once() {
    var policy = new RetryPolicy(5, Duration.ZERO, Duration.ofMinutes(1));

    assertThat(policy.ceilingAfter(1)).isZero();
    assertThat(policy.delayAfter(4, new SplittableRandom(1))).isZero();
  }

  @Example
  void attempts_outside_1_to_100_are_refused() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new RetryPolicy(0, s, s)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(101, s, s))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(-1, s, s))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new RetryPolicy(1, s, s).maxAttempts()).isEqualTo(1);
    assertThat(new RetryPolicy(100, s, s).maxAttempts()).isEqualTo(100);
  }

  @Example
  void a_cap_below_the_base_or_a_negative_duration_is_refused() {
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(-1), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, null, Duration.ofMinutes(1)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Example
  void attempt_numbers_count_from_one() {
    assertThatThrownBy(() -> RetryPolicy.DEFAULT.ceilingAfter(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<RetryPolicy> hourScalePolicies() {
    return policies(SIX_HOURS_MS);
  }

  @Provide
  Arbitrary<RetryPolicy> anyMillisecondPolicies() {
    return policies(Long.MAX_VALUE);
  }

  private static Arbitrary<RetryPolicy> policies(long maxMillis) {
    Arbitrary<Integer> attempts = Arbitraries.integers().between(1, RetryPolicy.MAX_ATTEMPTS_LIMIT);
    Arbitrary<Long> bases = Arbitraries.longs().between(0, maxMillis);
    return bases.flatMap(
        base ->
            Arbitraries.longs()
                .between(base, maxMillis)
                .flatMap(
                    cap ->
                        attempts.map(
                            n ->
                                new RetryPolicy(
                                    n, Duration.ofMillis(base), Duration.ofMillis(cap)))));
  }

  /** {@code min(cap, base * 2^(attempt-1))} in exact arithmetic. */
  private static long expectedCeilingMillis(RetryPolicy policy, int failedAttempt) {
    BigInteger base = BigInteger.valueOf(policy.base().toMillis());
    BigInteger cap = BigInteger.valueOf(policy.cap().toMillis());
    if (base.signum() == 0) {
      return 0;
    }
    // Past 2^64 the product exceeds every long cap; shifting further would only cost memory.
    int shift = Math.min(failedAttempt - 1, 64);
    return base.shiftLeft(shift).min(cap).longValueExact();
  }
}
