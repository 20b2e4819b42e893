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

/** Manual retry: dead and cancelled jobs go back to ready with their history; nothing else does. */
public abstract class RetryContract extends ContractSupport {

  protected RetryContract(JobStoreContract kit) {
    super(kit);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"DEAD", "CANCELLED"})
  void an_ended_job_goes_back_to_ready_now_with_its_attempts_kept(JobState ended) {
    Job job = jobIn(ended);
    Job before = get(job.id());
    advance(Duration.ofMinutes(5));

    Job answered = store().retry(job.id(), now());

    for (Job j : new Job[] {answered, get(job.id())}) {
      assertThat(j.state()).isEqualTo(JobState.READY);
      assertThat(j.runAt()).isEqualTo(now());
      assertThat(j.finishedAt()).isNull();
      assertThat(j.leaseToken()).isNull();
      assertThat(j.type()).isEqualTo(before.type());
    }
    assertThat(get(job.id()).attempts()).isEqualTo(before.attempts());
    assertThat(claim("background", 1)).extracting(Job::id).containsExactly(job.id());
  }

  @Test
  void a_dead_job_keeps_its_failed_attempt_after_a_retry() {
    Job dead = jobIn(JobState.DEAD);
    assertThat(get(dead.id()).attempts()).hasSize(1);

    store().retry(dead.id(), now());

    assertThat(get(dead.id()).attempts()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "READY", "RUNNING", "SUCCEEDED"})
  void a_job_that_is_not_dead_or_cancelled_refuses_a_retry_and_is_left_as_it_was(JobState state) {
    Job job = jobIn(state);
    Job before = get(job.id());
    advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> store().retry(job.id(), now()))
        .isInstanceOf(IllegalTransitionException.class);

    assertThat(get(job.id())).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"DEAD", "CANCELLED"})
  void a_retry_is_refused_when_another_active_job_now_holds_the_unique_key(JobState ended) {
    Job old = jobIn(ended, newJob().type("old").uniqueKey("k"));
    Job holder = enqueue(newJob().type("new").uniqueKey("k"));
    assertThat(holder.duplicate()).isFalse();
    Job before = get(old.id());

    assertThatThrownBy(() -> store().retry(old.id(), now()))
        .isInstanceOf(IllegalTransitionException.class);

    assertThat(get(old.id())).isEqualTo(before);
    assertThat(get(holder.id()).state()).isEqualTo(JobState.READY);
  }

  @Test
  void a_retried_job_holds_its_unique_key_again() {
    Job old = jobIn(JobState.CANCELLED, newJob().uniqueKey("k"));
    store().retry(old.id(), now());

    Job answered = enqueue(newJob().uniqueKey("k"));

    assertThat(answered.duplicate()).isTrue();
    assertThat(answered.id()).isEqualTo(old.id());
  }

  @Test
  void retrying_an_unknown_job_throws_job_not_found() {
    jobIn(JobState.DEAD);

    assertThatThrownBy(() -> store().retry(nextId(), now()))
        .isInstanceOf(JobNotFoundException.class);
  }
}
