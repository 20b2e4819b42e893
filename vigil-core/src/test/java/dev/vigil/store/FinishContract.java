package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Finish: what each next state writes (see {@link Finish}), and the attempt recorded every time.
 */
public abstract class FinishContract extends ContractSupport {

  private static final JobError ERROR =
      new JobError(
          "java.io.IOException",
          "provider answered 503 \u2013 try later",
          "java.io.IOException: provider answered 503\n\tat dev.example.Call.run(Call.java:42)\n");

  protected FinishContract(JobStoreContract kit) {
    super(kit);
  }

  /** A running job claimed by {@link #WORKER} at the returned job's {@code startedAt}. */
  private Job running() {
    Job job = jobIn(JobState.RUNNING);
    advance(Duration.ofSeconds(7));
    return job;
  }

  private static void assertLeaseCleared(Job job) {
    assertThat(job.leaseOwner()).as("lease owner").isNull();
    assertThat(job.leaseToken()).as("lease token").isNull();
    assertThat(job.leaseExpiresAt()).as("lease expiry").isNull();
    assertThat(job.cancelRequested()).as("cancel requested").isFalse();
  }

  private void assertOneAttempt(Job job, Job claimed, AttemptOutcome outcome, JobError error) {
    assertThat(job.attempts())
        .containsExactly(
            new Attempt(
                1, claimed.startedAt(), now(), outcome, claimed.leaseOwner(), error, claimed.runAt(),
                java.util.List.of()));
  }

  @Test
  void success_stores_the_result_and_finish_time_and_clears_the_lease() {
    Job claimed = running();

    Job answered =
        finish(
            claimed,
            AttemptOutcome.SUCCEEDED,
            JobState.SUCCEEDED,
            null,
            null,
            "{\"reply\":\"hi \u2713\",\"tokens\":[12,34]}");

    for (Job job : new Job[] {answered, get(claimed.id())}) {
      assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
      assertSameJson(job.resultJson(), "{\"reply\":\"hi \u2713\",\"tokens\":[12,34]}");
      assertThat(job.finishedAt()).isEqualTo(now());
      assertThat(job.startedAt()).isEqualTo(claimed.startedAt());
      assertThat(job.attempt()).isEqualTo(1);
      assertLeaseCleared(job);
    }
    assertOneAttempt(get(claimed.id()), claimed, AttemptOutcome.SUCCEEDED, null);
  }

  @Test
  void a_failure_with_attempts_left_is_scheduled_at_retry_at_with_the_last_error() {
    Job claimed = running();
    Instant retryAt = now().plusSeconds(45);

    Job answered = finish(claimed, AttemptOutcome.FAILED, JobState.SCHEDULED, retryAt, ERROR, null);

    for (Job job : new Job[] {answered, get(claimed.id())}) {
      assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
      assertThat(job.runAt()).isEqualTo(retryAt);
      assertThat(job.lastError()).isEqualTo(ERROR);
      assertThat(job.attempt()).isEqualTo(1);
      assertThat(job.resultJson()).isNull();
      assertLeaseCleared(job);
    }
    assertOneAttempt(get(claimed.id()), claimed, AttemptOutcome.FAILED, ERROR);
    assertThat(store().nextScheduledRunAt()).contains(retryAt);
  }

  @Test
  void an_error_keeps_the_fingerprint_its_handler_chose_in_the_job_and_the_attempt() {
    Job retried = running();
    Job dead = running();
    JobError chosen = ERROR.withFingerprint(java.util.List.of("provider-down", "openai \u2713"));

    finish(retried, AttemptOutcome.FAILED, JobState.SCHEDULED, now().plusSeconds(5), chosen, null);
    store()
        .finishAll(
            java.util.List.of(
                new Finish(dead.id(), dead.leaseToken(), AttemptOutcome.FAILED, JobState.DEAD, null, chosen, null, now())));

    for (Job job : new Job[] {get(retried.id()), get(dead.id())}) {
      assertThat(job.lastError()).isEqualTo(chosen);
      assertThat(job.lastError().fingerprintParts()).containsExactly("provider-down", "openai \u2713");
      assertThat(job.attempts()).singleElement().extracting(Attempt::error).isEqualTo(chosen);
    }
    assertThat(ERROR.fingerprint()).as("the default grouping stores no fingerprint").isNull();
  }

  @Test
  void giving_the_lease_back_makes_the_job_ready_with_the_error_given() {
    Job claimed = running();
    JobError expired = JobError.of("LeaseExpired", "no heartbeat for 30 s");

    Job answered =
        finish(claimed, AttemptOutcome.LEASE_EXPIRED, JobState.READY, null, expired, null);

    for (Job job : new Job[] {answered, get(claimed.id())}) {
      assertThat(job.state()).isEqualTo(JobState.READY);
      assertThat(job.lastError()).isEqualTo(expired);
      assertThat(job.attempt()).isEqualTo(1);
      assertThat(job.finishedAt()).isNull();
      assertLeaseCleared(job);
    }
    assertOneAttempt(get(claimed.id()), claimed, AttemptOutcome.LEASE_EXPIRED, expired);
    assertThat(claim("background", 1)).extracting(Job::id).containsExactly(claimed.id());
  }

  @Test
  void giving_the_lease_back_without_an_error_records_an_attempt_without_one() {
    Job claimed = running();

    finish(claimed, AttemptOutcome.CANCELLED, JobState.READY, null, null, null);

    Job job = get(claimed.id());
    assertThat(job.state()).isEqualTo(JobState.READY);
    assertLeaseCleared(job);
    assertOneAttempt(job, claimed, AttemptOutcome.CANCELLED, null);
  }

  @Test
  void a_final_failure_is_dead_with_finish_time_and_last_error() {
    Job claimed = running();

    Job answered = finish(claimed, AttemptOutcome.TIMED_OUT, JobState.DEAD, null, ERROR, null);

    for (Job job : new Job[] {answered, get(claimed.id())}) {
      assertThat(job.state()).isEqualTo(JobState.DEAD);
      assertThat(job.finishedAt()).isEqualTo(now());
      assertThat(job.lastError()).isEqualTo(ERROR);
      assertLeaseCleared(job);
    }
    assertOneAttempt(get(claimed.id()), claimed, AttemptOutcome.TIMED_OUT, ERROR);
  }

  @Test
  void a_cancelled_finish_ends_the_job_and_resets_cancel_requested() {
    Job claimed = running();
    assertThat(store().cancel(claimed.id(), now()).cancelRequested()).isTrue();
    advance(Duration.ofSeconds(1));
    JobError interrupted = JobError.of("java.lang.InterruptedException", "cancelled");

    Job answered =
        finish(claimed, AttemptOutcome.CANCELLED, JobState.CANCELLED, null, interrupted, null);

    for (Job job : new Job[] {answered, get(claimed.id())}) {
      assertThat(job.state()).isEqualTo(JobState.CANCELLED);
      assertThat(job.finishedAt()).isEqualTo(now());
      assertThat(job.lastError()).isEqualTo(interrupted);
      assertLeaseCleared(job);
    }
    assertOneAttempt(get(claimed.id()), claimed, AttemptOutcome.CANCELLED, interrupted);
  }

  @Test
  void attempts_accumulate_oldest_first_across_retries() {
    Job first = claimJob(enqueue(newJob()), "worker-a");
    Instant firstStart = now();
    advance(Duration.ofSeconds(2));
    Instant firstEnd = now();
    finish(first, AttemptOutcome.FAILED, JobState.SCHEDULED, now().plusSeconds(10), ERROR, null);

    advance(Duration.ofSeconds(10));
    assertThat(store().promoteDue(now(), 10)).hasSize(1);
    Job second = claimJob(get(first.id()), "worker-b");
    Instant secondStart = now();
    advance(Duration.ofSeconds(3));
    Instant secondEnd = now();
    JobError timeout = JobError.of("Timeout", "ran past 15 s");
    finish(second, AttemptOutcome.TIMED_OUT, JobState.SCHEDULED, now(), timeout, null);

    assertThat(store().promoteDue(now(), 10)).hasSize(1);
    Job third = claimJob(get(first.id()), "worker-c");
    Instant thirdStart = now();
    advance(Duration.ofSeconds(1));
    succeed(third);

    Job job = get(first.id());
    assertThat(job.attempt()).isEqualTo(3);
    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.attempts())
        .extracting(
            Attempt::attempt,
            Attempt::startedAt,
            Attempt::finishedAt,
            Attempt::outcome,
            Attempt::workerId,
            Attempt::error)
        .containsExactly(
            tuple(1, firstStart, firstEnd, AttemptOutcome.FAILED, "worker-a", ERROR),
            tuple(2, secondStart, secondEnd, AttemptOutcome.TIMED_OUT, "worker-b", timeout),
            tuple(3, thirdStart, now(), AttemptOutcome.SUCCEEDED, "worker-c", null));
  }

  @Test
  void finish_all_applies_the_finishes_that_hold_their_lease_and_leaves_out_the_stale_ones() {
    Job first = running();
    Job second = running();
    Job stale = running();
    Instant end = now();

    var finished =
        store()
            .finishAll(
                java.util.List.of(
                    new Finish(first.id(), first.leaseToken(), AttemptOutcome.SUCCEEDED,
                        JobState.SUCCEEDED, null, null, "{\"n\":1}", end),
                    new Finish(stale.id(), "not-the-token", AttemptOutcome.SUCCEEDED,
                        JobState.SUCCEEDED, null, null, null, end),
                    new Finish(second.id(), second.leaseToken(), AttemptOutcome.FAILED,
                        JobState.DEAD, null, ERROR, null, end),
                    new Finish("no-such-job", "token", AttemptOutcome.SUCCEEDED,
                        JobState.SUCCEEDED, null, null, null, end)));

    assertThat(finished)
        .containsOnly(entry(first.id(), JobState.SUCCEEDED), entry(second.id(), JobState.DEAD));
    assertThat(get(first.id()).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(get(first.id()).resultJson()).isEqualTo("{\"n\":1}");
    assertThat(get(second.id()).state()).isEqualTo(JobState.DEAD);
    assertThat(get(second.id()).attempts()).singleElement().extracting(Attempt::error).isEqualTo(ERROR);
    Job untouched = get(stale.id());
    assertThat(untouched.state()).isEqualTo(JobState.RUNNING);
    assertThat(untouched.leaseToken()).isEqualTo(stale.leaseToken());
    assertThat(untouched.attempts()).isEmpty();
  }

  @Test
  void finish_all_applies_only_the_first_of_two_finishes_of_one_job_in_a_batch() {
    Job job = running();
    Instant end = now();
    var success =
        new Finish(job.id(), job.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null,
            "{\"n\":1}", end);

    var finished = store().finishAll(java.util.List.of(success, success));

    assertThat(finished).containsOnly(entry(job.id(), JobState.SUCCEEDED));
    Job after = get(job.id());
    assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(after.attempts()).singleElement().extracting(Attempt::outcome).isEqualTo(AttemptOutcome.SUCCEEDED);
  }
}
