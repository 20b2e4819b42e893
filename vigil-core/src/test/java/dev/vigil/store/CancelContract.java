package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancellation in each state: waiting jobs end at once, running jobs are asked to stop, ended jobs
 * refuse.
 */
public abstract class CancelContract extends ContractSupport {

  protected CancelContract(JobStoreContract kit) {
    super(kit);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "READY"})
  void a_waiting_job_is_cancelled_at_once_with_its_finish_time(JobState waiting) {
    Job job = jobIn(waiting);
    advance(Duration.ofSeconds(5));

    Job answered = store().cancel(job.id(), now());

    for (Job j : new Job[] {answered, get(job.id())}) {
      assertThat(j.state()).isEqualTo(JobState.CANCELLED);
      assertThat(j.finishedAt()).isEqualTo(now());
      assertThat(j.attempt()).isZero();
      assertThat(j.attempts()).isEmpty();
    }
    assertThat(store().nextScheduledRunAt()).isEmpty();
    assertThat(store().promoteDue(now().plus(Duration.ofDays(1)), 10)).isEmpty();
    assertThat(claim("background", 10)).isEmpty();
    assertThat(store().laneDepths()).isEmpty();
  }

  @Test
  void a_running_job_stays_running_with_cancel_requested_which_its_heartbeat_reports() {
    Job running = jobIn(JobState.RUNNING);
    advance(Duration.ofSeconds(2));

    Job answered = store().cancel(running.id(), now());

    for (Job j : new Job[] {answered, get(running.id())}) {
      assertThat(j.state()).isEqualTo(JobState.RUNNING);
      assertThat(j.cancelRequested()).isTrue();
      assertThat(j.finishedAt()).isNull();
      assertThat(j.leaseOwner()).isEqualTo(WORKER);
      assertThat(j.leaseExpiresAt()).isEqualTo(running.leaseExpiresAt());
    }
    HeartbeatResult beat =
        store().heartbeat(running.id(), running.leaseToken(), now().plus(LEASE), 0.5, null);
    assertThat(beat.cancelRequested()).isTrue();
    assertThat(beat.leaseExpiresAt()).isEqualTo(now().plus(LEASE));
  }

  @Test
  void cancelling_a_running_job_again_leaves_it_running_with_cancel_requested() {
    Job running = jobIn(JobState.RUNNING);
    store().cancel(running.id(), now());

    Job again = store().cancel(running.id(), now());

    assertThat(again.state()).isEqualTo(JobState.RUNNING);
    assertThat(again.cancelRequested()).isTrue();
    assertThat(get(running.id()).cancelRequested()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SUCCEEDED", "DEAD", "CANCELLED"})
  void an_ended_job_refuses_cancellation_and_is_left_as_it_was(JobState ended) {
    Job job = jobIn(ended);
    Job before = get(job.id());
    advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> store().cancel(job.id(), now()))
        .isInstanceOf(IllegalTransitionException.class);

    assertThat(get(job.id())).isEqualTo(before);
  }

  @Test
  void cancelling_an_unknown_job_throws_job_not_found() {
    jobIn(JobState.READY);

    assertThatThrownBy(() -> store().cancel(nextId(), now()))
        .isInstanceOf(JobNotFoundException.class);
  }

  private static AttemptOutcome outcomeLeadingTo(JobState next) {
    return next == JobState.READY ? AttemptOutcome.LEASE_EXPIRED : AttemptOutcome.FAILED;
  }

  private Finish endingIn(Job running, JobState next) {
    return new Finish(
        running.id(),
        running.leaseToken(),
        outcomeLeadingTo(next),
        next,
        next == JobState.SCHEDULED ? now().plusSeconds(30) : null,
        JobError.of("Boom", "it broke"),
        null,
        now());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "READY", "DEAD"})
  void an_attempt_that_would_retry_give_back_or_die_ends_the_job_cancelled_once_cancel_was_requested(
      JobState next) {
    Job running = jobIn(JobState.RUNNING);
    store().cancel(running.id(), now());
    advance(Duration.ofSeconds(3));

    Job answered = store().finish(endingIn(running, next));

    for (Job j : new Job[] {answered, get(running.id())}) {
      assertThat(j.state()).isEqualTo(JobState.CANCELLED);
      assertThat(j.finishedAt()).isEqualTo(now());
      assertThat(j.cancelRequested()).isFalse();
      assertThat(j.leaseToken()).isNull();
    }
    assertThat(get(running.id()).attempts())
        .extracting(Attempt::outcome)
        .as("the attempt keeps its own outcome")
        .containsExactly(outcomeLeadingTo(next));
    assertThat(store().promoteDue(now().plus(Duration.ofDays(1)), 10)).isEmpty();
    assertThat(claim("background", 10)).isEmpty();
  }

  @Test
  void finish_all_reports_the_jobs_that_ended_cancelled_instead_of_retrying() {
    Job asked = jobIn(JobState.RUNNING, newJob().type("asked"));
    Job other = jobIn(JobState.RUNNING, newJob().type("other"));
    store().cancel(asked.id(), now());

    Map<String, JobState> after =
        store().finishAll(List.of(endingIn(asked, JobState.SCHEDULED), endingIn(other, JobState.SCHEDULED)));

    assertThat(after)
        .containsOnly(entry(asked.id(), JobState.CANCELLED), entry(other.id(), JobState.SCHEDULED));
    assertThat(get(asked.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(get(other.id()).state()).isEqualTo(JobState.SCHEDULED);
  }

  @Test
  void a_success_still_ends_succeeded_when_cancel_was_requested_during_it() {
    Job running = jobIn(JobState.RUNNING);
    store().cancel(running.id(), now());

    assertThat(succeed(running).state()).isEqualTo(JobState.SUCCEEDED);
  }
}
