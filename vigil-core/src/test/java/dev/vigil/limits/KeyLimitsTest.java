package dev.vigil.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.ManualClock;
import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a claim's keyed jobs draw from their quotas: each bucket once per claim, each job its share
 * in claim order, all of a job's keys or none, and the rest given back. Time is a manual clock, so
 * every refill is exact.
 */
class KeyLimitsTest {
  private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private int ids;

  @Test
  void a_claims_jobs_of_one_key_draw_its_bucket_once_and_the_rest_wait_for_the_next_start() {
    var buckets = new CountingQuotaBuckets(new LocalQuotaBuckets(clock));
    var limits = new KeyLimits(List.of(new LimitRule("provider:openai", 5, null, Duration.ofSeconds(10), null)), clock, buckets);
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jobs.add(job(List.of("provider:openai"), null, 0));
    }

    List<Hold> holds = limits.admitAll(jobs, Map.of(), T0);

    assertThat(holds.subList(0, 5)).containsOnlyNulls();
    assertThat(holds.subList(5, 8)).allSatisfy(h -> {
      assertThat(h.key()).isEqualTo("provider:openai");
      assertThat(h.until()).as("a start comes back every 2 s").isEqualTo(T0.plusSeconds(2).plusMillis(1));
    });
    assertThat(buckets.calls()).as("one draw for the whole claim, nothing to give back").isEqualTo(1);
  }

  @Test
  void a_job_refused_by_its_second_key_leaves_its_first_keys_start_to_the_next_job() {
    var limits = new KeyLimits(List.of(
        new LimitRule("provider:openai", 10, null, Duration.ofMinutes(1), null),
        new LimitRule("tenant:*", 1, null, Duration.ofMinutes(1), null)), clock);
    Job first = job(List.of("tenant:acme"), null, 0);
    Job both = job(List.of("provider:openai", "tenant:acme"), null, 0);
    Job other = job(List.of("provider:openai"), null, 0);

    List<Hold> holds = limits.admitAll(List.of(first, both, other), Map.of(), T0);

    assertThat(holds.get(0)).isNull();
    assertThat(holds.get(1).key()).isEqualTo("tenant:acme");
    assertThat(holds.get(2)).isNull();
    assertThat(limits.status()).extracting(KeyLimits.KeyStatus::key, KeyLimits.KeyStatus::startsAvailable)
        .containsExactly(tuple("provider:openai", 9L), tuple("tenant:acme", 0L));
  }

  @Test
  void jobs_their_concurrency_key_refuses_draw_nothing() {
    var buckets = new CountingQuotaBuckets(new LocalQuotaBuckets(clock));
    var limits = new KeyLimits(List.of(
        new LimitRule("provider:openai", 10, null, Duration.ofMinutes(1), null),
        new LimitRule("user:*", null, null, null, 1)), clock, buckets);
    List<Job> jobs = List.of(
        job(List.of("provider:openai"), "user:1", 0), job(List.of("provider:openai"), "user:1", 0),
        job(List.of("provider:openai"), "user:2", 0));

    List<Hold> holds = limits.admitAll(jobs, Map.of("user:2", 1), T0);

    assertThat(holds.get(0)).isNull();
    assertThat(holds.subList(1, 3)).allSatisfy(h -> {
      assertThat(h.key()).startsWith("user:");
      assertThat(h.until()).isEqualTo(T0.plus(KeyLimits.CONCURRENCY_RECHECK));
    });
    assertThat(buckets.calls()).as("one draw of one start, nothing given back").isEqualTo(1);
    assertThat(limits.status()).extracting(KeyLimits.KeyStatus::startsAvailable).containsExactly(9L);
  }

  @Test
  void a_job_whose_concurrency_key_has_room_after_all_draws_its_own_start() {
    var limits = new KeyLimits(List.of(
        new LimitRule("provider:a", 1, null, Duration.ofHours(1), null),
        new LimitRule("provider:b", 5, null, Duration.ofHours(1), null),
        new LimitRule("user:*", null, null, null, 1)), clock);
    assertThat(limits.admit(job(List.of("provider:a"), null, 0), 0, T0)).isNull();
    Job refused = job(List.of("provider:a"), "user:1", 0);
    Job next = job(List.of("provider:b"), "user:1", 0);

    List<Hold> holds = limits.admitAll(List.of(refused, next), Map.of(), T0);

    assertThat(holds.get(0).key()).isEqualTo("provider:a");
    assertThat(holds.get(1)).as("user:1 has room: the job before it did not start").isNull();
    assertThat(limits.status()).extracting(KeyLimits.KeyStatus::key, KeyLimits.KeyStatus::startsAvailable)
        .containsExactly(tuple("provider:a", 0L), tuple("provider:b", 4L));
  }

  @Test
  void units_draw_each_jobs_cost_and_one_that_does_not_fit_waits_for_what_it_lacks() {
    var limits = new KeyLimits(List.of(new LimitRule("provider:x", null, 1_000L, Duration.ofHours(1), null)), clock);
    Job big = job(List.of("provider:x"), null, 800);
    Job tooMuch = job(List.of("provider:x"), null, 300);
    Job fits = job(List.of("provider:x"), null, 200);

    List<Hold> holds = limits.admitAll(List.of(big, tooMuch, fits), Map.of(), T0);

    assertThat(holds.get(0)).isNull();
    assertThat(holds.get(1).until()).as("100 units lacking, 1000 an hour: 6 minutes")
        .isEqualTo(T0.plus(Duration.ofMinutes(6)).plusMillis(1));
    assertThat(holds.get(2)).isNull();
    assertThat(limits.status()).extracting(KeyLimits.KeyStatus::unitsAvailable).containsExactly(0L);

    clock.advance(Duration.ofHours(1));
    Job huge = job(List.of("provider:x"), null, 50_000);
    assertThat(limits.admitAll(List.of(huge), Map.of(), clock.instant())).as("a cost above the quota draws all of it")
        .containsOnlyNulls();
    assertThat(limits.status()).extracting(KeyLimits.KeyStatus::unitsAvailable).containsExactly(0L);
  }

  @Test
  void quotas_in_this_process_are_not_shared_and_refill_over_their_window() {
    var limits = new KeyLimits(List.of(new LimitRule("provider:openai", 2, null, Duration.ofMinutes(1), null)), clock);
    List<Job> jobs = List.of(job(List.of("provider:openai"), null, 0), job(List.of("provider:openai"), null, 0));
    assertThat(limits.admitAll(jobs, Map.of(), T0)).containsOnlyNulls();
    assertThat(limits.shared()).isFalse();

    clock.advance(Duration.ofSeconds(30));

    assertThat(limits.status()).extracting(KeyLimits.KeyStatus::startsAvailable).containsExactly(1L);
  }

  private Job job(List<String> limitKeys, String concurrencyKey, long cost) {
    return Job.builder()
        .id("job-" + ++ids).type("reply").lane("cognition").state(JobState.RUNNING)
        .limitKeys(limitKeys).concurrencyKey(concurrencyKey).cost(cost)
        .build();
  }
}
