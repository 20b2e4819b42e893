package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.ModelStats;
import dev.vigil.llm.TokenCounts;
import dev.vigil.llm.UsageDimension;
import dev.vigil.llm.UsageFilter;
import dev.vigil.llm.UsageGroup;
import dev.vigil.llm.UsageQuery;
import dev.vigil.llm.UsageTotals;
import dev.vigil.llm.spi.UsageStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The usage a store keeps beyond finishes ({@link JobStore#usage()}): calls reported on their own
 * are stored all together; aggregates sum exactly what was recorded over a half-open range, per
 * group and step, with unknown costs kept apart and the cost of failed attempts (retries) shown
 * apart, also for calls stored before their attempt failed; model statistics per job type; and
 * retention deletes only what is older than its cutoff.
 */
public abstract class UsageStoreContract extends ContractSupport {

  protected UsageStoreContract(JobStoreContract kit) {
    super(kit);
  }

  private UsageStore usage() {
    return store().usage();
  }

  private static LlmUsage call(
      Job job, Instant at, String model, TokenCounts tokens, long ms, String outcome, String cost) {
    return new LlmUsage(
        job == null ? null : job.id(), job == null ? 0 : job.attempt(), job == null ? null : job.type(),
        job == null ? null : job.lane(), at, "openai", model, "chat", tokens, ms, outcome,
        cost == null ? null : new BigDecimal(cost), 0.5, 0.25);
  }

  private static LlmUsage outside(Instant at, String model, long input, long output, String cost) {
    return call(null, at, model, TokenCounts.of(input, output), 100, LlmUsage.OK, cost);
  }

  private UsageTotals totals(Instant from, Instant to, UsageFilter filter) {
    List<UsageGroup> groups = usage().aggregate(UsageQuery.totals(from, to, filter));
    assertThat(groups).hasSizeLessThanOrEqualTo(1);
    return groups.isEmpty() ? UsageTotals.NONE : groups.get(0).totals();
  }

  @Test
  void calls_reported_on_their_own_are_summed_exactly_with_unknown_costs_counted_apart() {
    Instant t = now();
    usage().record(
        List.of(
            call(null, t, "gpt-4o-mini", new TokenCounts(1_200, 200, 350, 50), 800, LlmUsage.OK, "0.000123456789"),
            call(null, t, "gpt-4o-mini", TokenCounts.of(100, 10), 90, LlmUsage.ERROR, "0.00035"),
            call(null, t, "mystery-model", TokenCounts.of(7, 3), 10, LlmUsage.OK, null)),
        "corr-1");

    UsageTotals all = totals(t, t.plusSeconds(1), UsageFilter.ALL);

    assertThat(all.calls()).isEqualTo(3);
    assertThat(all.failedCalls()).isEqualTo(1);
    assertThat(all.inputTokens()).isEqualTo(1_307);
    assertThat(all.cachedInputTokens()).isEqualTo(200);
    assertThat(all.outputTokens()).isEqualTo(363);
    assertThat(all.reasoningTokens()).isEqualTo(50);
    assertThat(all.costUsd()).isEqualByComparingTo("0.000473456789");
    assertThat(all.unpricedCalls()).isEqualTo(1);
    assertThat(all.retryCostUsd()).isEqualByComparingTo("0");
    assertThat(all.energyWh()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(all.co2eGrams()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void only_unpriced_calls_have_an_unknown_cost_not_a_zero_one() {
    Instant t = now();
    usage().record(List.of(outside(t, "mystery-model", 5, 5, null)), null);

    UsageTotals all = totals(t, t.plusSeconds(1), UsageFilter.ALL);

    assertThat(all.costUsd()).isNull();
    assertThat(all.retryCostUsd()).isNull();
    assertThat(all.unpricedCalls()).isEqualTo(1);
  }

  @Test
  void the_range_includes_its_start_and_excludes_its_end() {
    Instant t = now();
    usage().record(
        List.of(outside(t.minusMillis(1), "a", 1, 0, "1"), outside(t, "a", 10, 0, "10"),
            outside(t.plusSeconds(60), "a", 100, 0, "100")),
        null);

    assertThat(totals(t, t.plusSeconds(60), UsageFilter.ALL).inputTokens()).isEqualTo(10);
    assertThat(usage().aggregate(UsageQuery.totals(t.plusSeconds(120), t.plusSeconds(180), UsageFilter.ALL))).isEmpty();
  }

  @Test
  void groups_by_model_and_step_and_filters_by_type_leave_calls_outside_jobs_out() {
    Job running = jobIn(JobState.RUNNING);
    Instant t = Instant.ofEpochMilli(now().toEpochMilli() / 60_000 * 60_000);
    usage().record(
        List.of(
            call(running, t, "gpt-4o", TokenCounts.of(10, 1), 5, LlmUsage.OK, "1"),
            call(running, t.plusSeconds(30), "gpt-4o-mini", TokenCounts.of(20, 2), 5, LlmUsage.OK, "2"),
            call(running, t.plusSeconds(61), "gpt-4o", TokenCounts.of(40, 4), 5, LlmUsage.OK, "4"),
            outside(t.plusSeconds(62), "gpt-4o", 80, 8, "8")),
        null);

    List<UsageGroup> series =
        usage().aggregate(new UsageQuery(
            t, t.plusSeconds(120), List.of(UsageDimension.MODEL), Duration.ofMinutes(1), UsageFilter.ALL));

    assertThat(series)
        .extracting(g -> g.labels().get(UsageDimension.MODEL), UsageGroup::bucket, g -> g.totals().inputTokens())
        .containsExactlyInAnyOrder(
            tuple("gpt-4o", t, 10L),
            tuple("gpt-4o-mini", t, 20L),
            tuple("gpt-4o", t.plusSeconds(60), 120L));

    UsageFilter ofType = new UsageFilter(null, "gpt-4o", running.type(), null);
    assertThat(totals(t, t.plusSeconds(120), ofType).inputTokens()).isEqualTo(50);

    List<UsageGroup> byTypeAndLane =
        usage().aggregate(new UsageQuery(
            t, t.plusSeconds(120), List.of(UsageDimension.TYPE, UsageDimension.LANE), null, UsageFilter.ALL));
    assertThat(byTypeAndLane)
        .extracting(g -> g.labels().get(UsageDimension.TYPE), g -> g.labels().get(UsageDimension.LANE),
            g -> g.totals().calls())
        .containsExactlyInAnyOrder(tuple(running.type(), running.lane(), 3L), tuple(null, null, 1L));
  }

  @Test
  void calls_of_failed_attempts_are_retry_cost_also_when_reported_before_the_attempt_failed() {
    Job job = enqueue(newJob());
    Job first = claimJob(job);
    usage().record(List.of(call(first, now(), "gpt-4o", TokenCounts.of(100, 10), 5, LlmUsage.OK, "0.25")), null);
    store().finish(
        new Finish(first.id(), first.leaseToken(), AttemptOutcome.FAILED, JobState.SCHEDULED, now(),
                JobError.of("Boom", "x"), null, now())
            .withUsage(List.of(call(first, now(), "gpt-4o", TokenCounts.of(50, 5), 5, LlmUsage.ERROR, "0.125"))));
    advance(Duration.ofSeconds(1));
    store().promoteDue(now(), 10);
    Job second = claimJob(get(job.id()));
    usage().record(List.of(call(second, now(), "gpt-4o", TokenCounts.of(100, 10), 5, LlmUsage.OK, "0.5")), null);
    store().finish(
        new Finish(second.id(), second.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, "{}",
                now())
            .withUsage(List.of(call(second, now(), "gpt-4o", TokenCounts.of(1, 1), 5, LlmUsage.OK, "0.0625"))));

    UsageTotals all = totals(job.createdAt().minusSeconds(1), now().plusSeconds(1), UsageFilter.ALL);

    assertThat(all.costUsd()).isEqualByComparingTo("0.9375");
    assertThat(all.retryCostUsd()).isEqualByComparingTo("0.375");
    assertThat(store().llmUsage(job.id()))
        .extracting(LlmUsage::attempt, LlmUsage::costUsd)
        .containsExactly(
            tuple(1, new BigDecimal("0.25")), tuple(1, new BigDecimal("0.125")),
            tuple(2, new BigDecimal("0.5")), tuple(2, new BigDecimal("0.0625")));
  }

  @Test
  void model_stats_count_a_types_calls_per_model_since_a_time() {
    Job running = jobIn(JobState.RUNNING);
    Instant t = now();
    var calls = new ArrayList<LlmUsage>();
    for (int i = 1; i <= 20; i++) {
      calls.add(call(running, t, "gpt-4o-mini", TokenCounts.of(100 + i, 10), i * 10L,
          i <= 19 ? LlmUsage.OK : LlmUsage.ERROR, "0.001"));
    }
    calls.add(call(running, t.minusSeconds(3_600), "gpt-4o-mini", TokenCounts.of(1, 1), 99_999, LlmUsage.OK, "0"));
    calls.add(call(running, t, "gpt-4o", new TokenCounts(400, 100, 40, 0), 700, LlmUsage.OK, "0.01"));
    calls.add(outside(t, "gpt-4o", 1, 1, "0"));
    usage().record(calls, null);

    List<ModelStats> stats = usage().modelStats(running.type(), t.minusSeconds(60));

    assertThat(stats).extracting(ModelStats::model).containsExactlyInAnyOrder("gpt-4o", "gpt-4o-mini");
    ModelStats mini = stats.stream().filter(s -> s.model().equals("gpt-4o-mini")).findFirst().orElseThrow();
    assertThat(mini.calls()).isEqualTo(20);
    assertThat(mini.okCalls()).isEqualTo(19);
    assertThat(mini.successRate()).isEqualTo(0.95);
    assertThat(mini.meanInputTokens()).isEqualTo(110.5);
    assertThat(mini.meanOutputTokens()).isEqualTo(10);
    assertThat(mini.p95DurationMs()).isEqualTo(190);
    ModelStats big = stats.stream().filter(s -> s.model().equals("gpt-4o")).findFirst().orElseThrow();
    assertThat(big.calls()).isEqualTo(1);
    assertThat(big.meanCachedInputTokens()).isEqualTo(100);
    assertThat(big.p95DurationMs()).isEqualTo(700);

    assertThat(usage().modelStats(null, t.minusSeconds(60)))
        .extracting(ModelStats::model, ModelStats::calls)
        .containsExactlyInAnyOrder(tuple("gpt-4o", 2L), tuple("gpt-4o-mini", 20L));
  }

  @Test
  void retention_deletes_only_calls_older_than_its_cutoff_oldest_first_within_its_limit() {
    Instant t = now();
    usage().record(
        List.of(outside(t.minusSeconds(30), "a", 1, 0, "1"), outside(t.minusSeconds(20), "a", 2, 0, "1"),
            outside(t.minusSeconds(10), "a", 4, 0, "1"), outside(t, "a", 8, 0, "1")),
        null);

    assertThat(usage().deleteBefore(t.minusSeconds(5), 2)).isEqualTo(2);
    assertThat(totals(t.minusSeconds(60), t.plusSeconds(1), UsageFilter.ALL).inputTokens()).isEqualTo(12);
    assertThat(usage().deleteBefore(t.minusSeconds(5), 100)).isEqualTo(1);
    assertThat(usage().deleteBefore(t.minusSeconds(5), 100)).isZero();
    assertThat(totals(t.minusSeconds(60), t.plusSeconds(1), UsageFilter.ALL).inputTokens()).isEqualTo(8);
  }

  @Test
  void nothing_recorded_means_no_groups() {
    assertThat(usage().aggregate(new UsageQuery(
            now(), now().plusSeconds(60), List.of(UsageDimension.PROVIDER), Duration.ofSeconds(10), UsageFilter.ALL)))
        .isEmpty();
    assertThat(usage().modelStats("any", now().minusSeconds(60))).isEmpty();
  }
}
