package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import java.time.Duration;
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
}
