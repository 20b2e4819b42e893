package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Give-backs: a claim nobody started is undone without spending an attempt, and a started
 * attempt given back at shutdown is recorded but not counted against {@code max_attempts}.
 */
public abstract class UnclaimContract extends ContractSupport {

  protected UnclaimContract(JobStoreContract kit) {
    super(kit);
  }

  @Test
  void an_unclaimed_job_is_ready_again_at_its_place_in_the_queue_as_if_never_claimed() {
    Job first = enqueue(newJob().type("first"));
    advance(Duration.ofSeconds(1));
    Job second = enqueue(newJob().type("second"));
    Job claimed = claimJob(first);
    advance(Duration.ofSeconds(2));

    Map<String, JobState> after = store().unclaim(List.of(Lease.of(claimed)), now());

    assertThat(after).containsOnly(entry(first.id(), JobState.READY));
    Job back = get(first.id());
    assertThat(back.state()).isEqualTo(JobState.READY);
    assertThat(back.attempt()).isZero();
    assertThat(back.startedAt()).isNull();
    assertThat(back.leaseToken()).isNull();
    assertThat(back.leaseOwner()).isNull();
    assertThat(back.leaseExpiresAt()).isNull();
    assertThat(back.runAt()).isEqualTo(first.runAt());
    assertThat(back.attempts()).isEmpty();
    List<Job> again = claim("background", 2);
    assertThat(again).extracting(Job::id).containsExactly(first.id(), second.id());
    assertThat(again.getFirst().attempt()).as("the next claim is its first attempt").isEqualTo(1);
  }

  @Test
  void an_unclaimed_retry_keeps_its_attempt_number_and_its_previous_start() {
    Job job = enqueue(newJob().maxAttempts(3));
    Job firstRun = claimJob(job);
    Instant firstStart = firstRun.startedAt();
    advance(Duration.ofSeconds(1));
    store()
        .finish(
            new Finish(job.id(), firstRun.leaseToken(), AttemptOutcome.FAILED, JobState.SCHEDULED,
                now(), JobError.of("Boom", "once"), null, now()));
    store().promoteDue(now(), 10);
    advance(Duration.ofSeconds(1));
    Job secondClaim = claimJob(get(job.id()));
    assertThat(secondClaim.attempt()).isEqualTo(2);

    store().unclaim(List.of(Lease.of(secondClaim)), now());

    Job back = get(job.id());
    assertThat(back.state()).isEqualTo(JobState.READY);
    assertThat(back.attempt()).isEqualTo(1);
    assertThat(back.startedAt()).isEqualTo(firstStart);
    assertThat(back.attempts()).extracting(Attempt::attempt).containsExactly(1);
    assertThat(claimJob(back).attempt()).isEqualTo(2);
  }

  @Test
  void an_unclaim_with_a_stale_lease_changes_nothing() {
    Job running = jobIn(JobState.RUNNING);
    Job before = get(running.id());

    Map<String, JobState> after =
        store().unclaim(List.of(new Lease(running.id(), "not-the-token"), new Lease(nextId(), "x")), now());

    assertThat(after).isEmpty();
    assertThat(get(running.id())).isEqualTo(before);
  }

  @Test
  void an_unclaimed_job_whose_cancellation_was_requested_ends_cancelled_without_an_attempt() {
    Job running = jobIn(JobState.RUNNING);
    store().cancel(running.id(), now());
    advance(Duration.ofSeconds(1));

    Map<String, JobState> after = store().unclaim(List.of(Lease.of(running)), now());

    assertThat(after).containsOnly(entry(running.id(), JobState.CANCELLED));
    Job ended = get(running.id());
    assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
    assertThat(ended.finishedAt()).isEqualTo(now());
    assertThat(ended.cancelRequested()).isFalse();
    assertThat(ended.attempt()).isZero();
    assertThat(ended.attempts()).isEmpty();
    assertThat(claim("background", 10)).isEmpty();
  }

  @Test
  void a_started_attempt_given_back_is_recorded_and_counted_as_given_back() {
    Job running = jobIn(JobState.RUNNING, newJob().maxAttempts(2));
    advance(Duration.ofSeconds(1));

    Job back =
        finish(running, AttemptOutcome.LEASE_EXPIRED, JobState.READY, null,
            JobError.of("LeaseReleased", "node shut down"), null);

    assertThat(back.state()).isEqualTo(JobState.READY);
    assertThat(back.givenBack()).isEqualTo(1);
    assertThat(back.attempts()).isEmpty();
    assertThat(get(running.id()).attempts()).extracting(Attempt::outcome).containsExactly(AttemptOutcome.LEASE_EXPIRED);
    Job again = claimJob(back);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.givenBack()).isEqualTo(1);
    assertThat(again.mayRetry()).as("its second run is the first of its two attempts").isTrue();
  }
}
