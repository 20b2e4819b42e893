package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.TokenCounts;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LLM usage: the model calls reported with a finish ({@link Finish#usage()}) are stored in the
 * finish's transaction only when it holds its lease, by {@code finish} and {@code finishAll}, and
 * {@code llmUsage} returns them attempt by attempt in the order given, costs as exact decimals
 * (null stays null: unknown, not free).
 */
public abstract class UsageContract extends ContractSupport {

  protected UsageContract(JobStoreContract kit) {
    super(kit);
  }

  private LlmUsage call(Job running, String model, TokenCounts tokens, String outcome, String cost) {
    return new LlmUsage(
        running.id(), running.attempt(), running.type(), running.lane(), now(), "openai", model, "chat", tokens, 812,
        outcome, cost == null ? null : new BigDecimal(cost), 0.125, 0.059375);
  }

  private Finish success(Job running, List<LlmUsage> usage) {
    return new Finish(
            running.id(), running.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, "{}", now())
        .withUsage(usage);
  }

  private Finish retry(Job running, List<LlmUsage> usage) {
    return new Finish(
            running.id(), running.leaseToken(), AttemptOutcome.FAILED, JobState.SCHEDULED, now(),
            JobError.of("Boom", "x"), null, now())
        .withUsage(usage);
  }

  @Test
  void calls_given_with_a_finish_come_back_in_order_with_exact_costs_and_unknown_costs_null() {
    Job running = jobIn(JobState.RUNNING);
    var calls =
        List.of(
            call(running, "gpt-4o-mini", new TokenCounts(1_200, 200, 350, 50), LlmUsage.OK, "0.000000123456789"),
            call(running, "mystery-model", TokenCounts.of(10, 0), LlmUsage.ERROR, null));

    store().finish(success(running, calls));

    assertThat(store().llmUsage(running.id())).containsExactlyElementsOf(calls);
  }

  @Test
  void a_job_that_made_no_calls_has_no_usage() {
    Job running = jobIn(JobState.RUNNING);
    succeed(running);

    assertThat(store().llmUsage(running.id())).isEmpty();
    assertThat(store().llmUsage("no-such-job")).isEmpty();
  }

  @Test
  void calls_of_each_attempt_stay_with_that_attempt() {
    Job job = enqueue(newJob());
    Job first = claimJob(job);
    store().finish(retry(first, List.of(call(first, "gpt-4o", TokenCounts.of(100, 10), LlmUsage.OK, "0.00035"),
        call(first, "gpt-4o", TokenCounts.of(0, 0), LlmUsage.ERROR, "0"))));
    advance(Duration.ofSeconds(1));
    store().promoteDue(now(), 10);
    Job second = claimJob(get(job.id()));
    store().finish(success(second, List.of(call(second, "gpt-4o", TokenCounts.of(100, 20), LlmUsage.OK, "0.00045"))));

    assertThat(store().llmUsage(job.id()))
        .extracting(LlmUsage::attempt, LlmUsage::outcome, LlmUsage::costUsd)
        .containsExactly(
            tuple(1, LlmUsage.OK, new BigDecimal("0.00035")),
            tuple(1, LlmUsage.ERROR, new BigDecimal("0")),
            tuple(2, LlmUsage.OK, new BigDecimal("0.00045")));
  }

  @Test
  void finish_all_stores_the_calls_of_the_finishes_that_held_their_lease_and_none_of_a_stale_one() {
    Job a = jobIn(JobState.RUNNING);
    Job b = jobIn(JobState.RUNNING);
    Job stale = jobIn(JobState.RUNNING);
    succeed(stale);

    Map<String, JobState> applied =
        store().finishAll(List.of(
            success(a, List.of(call(a, "gpt-4o-mini", TokenCounts.of(5, 6), LlmUsage.OK, "0.0000045"))),
            success(b, List.of()),
            success(stale, List.of(call(stale, "gpt-4o-mini", TokenCounts.of(7, 8), LlmUsage.OK, "0.1")))));

    assertThat(applied).containsOnlyKeys(a.id(), b.id());
    assertThat(store().llmUsage(a.id())).extracting(u -> u.tokens().output()).containsExactly(6L);
    assertThat(store().llmUsage(b.id())).isEmpty();
    assertThat(store().llmUsage(stale.id())).isEmpty();
  }

  @Test
  void a_finish_that_lost_its_lease_stores_none_of_its_calls() {
    Job running = jobIn(JobState.RUNNING);
    succeed(running);

    assertThatThrownBy(() -> store().finish(success(running, List.of(
            call(running, "gpt-4o-mini", TokenCounts.of(1, 1), LlmUsage.OK, "0.1")))))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store().llmUsage(running.id())).isEmpty();
  }
}
