package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leases and fencing: only the holder of a job's current lease token can report on it; a stale
 * worker's word changes nothing; expired leases are found for rescue.
 */
public abstract class LeaseContract extends ContractSupport {

  protected LeaseContract(JobStoreContract kit) {
    super(kit);
  }

  private static String wrongToken() {
    return UUID.randomUUID().toString();
  }

  private Finish finishWith(String jobId, String token, JobState next) {
    AttemptOutcome outcome =
        switch (next) {
          case SUCCEEDED -> AttemptOutcome.SUCCEEDED;
          case CANCELLED -> AttemptOutcome.CANCELLED;
          case READY -> AttemptOutcome.LEASE_EXPIRED;
          default -> AttemptOutcome.FAILED;
        };
    Instant retryAt = next == JobState.SCHEDULED ? now().plusSeconds(30) : null;
    return new Finish(
        jobId, token, outcome, next, retryAt, JobError.of("Stale", "late"), "{\"r\":1}", now());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SUCCEEDED", "SCHEDULED", "READY", "DEAD", "CANCELLED"})
  void finish_with_a_wrong_token_is_refused_and_changes_nothing(JobState next) {
    Job running = jobIn(JobState.RUNNING);
    Instant extended = now().plusSeconds(60);
    store().heartbeat(running.id(), running.leaseToken(), extended, 0.3, "working");
    Job before = get(running.id());
    advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> store().finish(finishWith(running.id(), wrongToken(), next)))
        .isInstanceOf(LeaseLostException.class);

    Job after = get(running.id());
    assertThat(after).isEqualTo(before);
    assertThat(after.state()).isEqualTo(JobState.RUNNING);
    assertThat(after.attempt()).isEqualTo(1);
    assertThat(after.leaseOwner()).isEqualTo(WORKER);
    assertThat(after.leaseExpiresAt()).isEqualTo(extended);
    assertThat(after.progress()).isEqualTo(0.3);
    assertThat(after.attempts()).isEmpty();
  }

  @Test
  void heartbeat_with_a_wrong_token_is_refused_and_changes_nothing() {
    Job running = jobIn(JobState.RUNNING);
    Job before = get(running.id());

    assertThatThrownBy(
            () -> store().heartbeat(running.id(), wrongToken(), now().plusSeconds(300), 0.9, "x"))
        .isInstanceOf(LeaseLostException.class);

    Job after = get(running.id());
    assertThat(after).isEqualTo(before);
    assertThat(after.leaseExpiresAt()).isEqualTo(running.leaseExpiresAt());
    assertThat(after.progress()).isNull();
  }

  @Test
  void a_finished_job_cannot_be_finished_again_even_with_its_own_token() {
    Job running = jobIn(JobState.RUNNING);
    succeed(running);
    Job before = get(running.id());

    for (JobState next : List.of(JobState.SUCCEEDED, JobState.DEAD, JobState.READY)) {
      assertThatThrownBy(() -> store().finish(finishWith(running.id(), running.leaseToken(), next)))
          .isInstanceOf(LeaseLostException.class);
    }

    assertThat(get(running.id())).isEqualTo(before);
    assertThat(before.attempts()).hasSize(1);
  }

  @Test
  void heartbeat_of_a_job_that_is_not_running_is_refused() {
    Job ready = jobIn(JobState.READY, newJob().type("waiting"));
    Job running = jobIn(JobState.RUNNING, newJob().type("done"));
    succeed(running);

    assertThatThrownBy(
            () -> store().heartbeat(ready.id(), wrongToken(), now().plusSeconds(30), null, null))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(
            () ->
                store()
                    .heartbeat(
                        running.id(), running.leaseToken(), now().plusSeconds(30), null, null))
        .isInstanceOf(LeaseLostException.class);
    assertThat(get(ready.id()).state()).isEqualTo(JobState.READY);
    assertThat(get(running.id()).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void finish_of_a_ready_job_is_refused() {
    Job ready = jobIn(JobState.READY);
    Job before = get(ready.id());

    assertThatThrownBy(
            () -> store().finish(finishWith(ready.id(), wrongToken(), JobState.SUCCEEDED)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(get(ready.id())).isEqualTo(before);
  }

  @Test
  void finish_and_heartbeat_of_an_unknown_job_throw_job_not_found() {
    jobIn(JobState.RUNNING);
    String unknown = nextId();

    assertThatThrownBy(() -> store().finish(finishWith(unknown, wrongToken(), JobState.SUCCEEDED)))
        .isInstanceOf(JobNotFoundException.class);
    assertThatThrownBy(
            () -> store().heartbeat(unknown, wrongToken(), now().plusSeconds(30), 0.5, null))
        .isInstanceOf(JobNotFoundException.class);
  }

  @Test
  void a_heartbeat_extends_the_lease_and_records_progress() {
    Job running = jobIn(JobState.RUNNING);
    advance(Duration.ofSeconds(20));
    Instant newExpiry = now().plus(LEASE);

    HeartbeatResult result =
        store().heartbeat(running.id(), running.leaseToken(), newExpiry, 0.25, "a quarter");

    assertThat(result.leaseExpiresAt()).isEqualTo(newExpiry);
    assertThat(result.cancelRequested()).isFalse();
    Job stored = get(running.id());
    assertThat(stored.state()).isEqualTo(JobState.RUNNING);
    assertThat(stored.leaseExpiresAt()).isEqualTo(newExpiry);
    assertThat(stored.progress()).isEqualTo(0.25);
    assertThat(stored.progressMessage()).isEqualTo("a quarter");
    assertThat(stored.attempt()).isEqualTo(1);
    assertThat(stored.leaseOwner()).isEqualTo(WORKER);
  }

  @Test
  void a_heartbeat_without_progress_extends_the_lease_and_keeps_the_last_progress() {
    Job running = jobIn(JobState.RUNNING);
    store().heartbeat(running.id(), running.leaseToken(), now().plusSeconds(40), 0.5, "half");
    advance(Duration.ofSeconds(30));
    Instant later = now().plusSeconds(40);

    HeartbeatResult result =
        store().heartbeat(running.id(), running.leaseToken(), later, null, null);

    assertThat(result.leaseExpiresAt()).isEqualTo(later);
    Job stored = get(running.id());
    assertThat(stored.leaseExpiresAt()).isEqualTo(later);
    assertThat(stored.progress()).isEqualTo(0.5);
  }

  @Test
  void find_expired_leases_returns_only_running_jobs_whose_lease_ran_out() {
    Job shortLease = enqueue(newJob().type("short"));
    Job longLease = enqueue(newJob().type("long"));
    store()
        .claim(
            new ClaimRequest(
                WORKER,
                List.of(quota("background", 1)),
                Set.of("short"),
                Duration.ofSeconds(10),
                now()));
    store()
        .claim(
            new ClaimRequest(
                WORKER,
                List.of(quota("background", 1)),
                Set.of("long"),
                Duration.ofSeconds(60),
                now()));
    jobIn(JobState.READY, newJob().type("ready"));
    jobIn(JobState.SCHEDULED, newJob().type("scheduled").lane("social"));
    jobIn(JobState.SUCCEEDED, newJob().type("succeeded").lane("social"));
    jobIn(JobState.DEAD, newJob().type("dead").lane("social"));

    assertThat(store().findExpiredLeases(now().plusSeconds(5), 100)).isEmpty();

    List<Job> expired = store().findExpiredLeases(now().plusSeconds(30), 100);

    assertThat(expired).extracting(Job::id).containsExactly(shortLease.id());
    Job found = expired.get(0);
    assertThat(found.state()).isEqualTo(JobState.RUNNING);
    assertThat(found.leaseOwner()).isEqualTo(WORKER);
    assertThat(found.leaseToken()).as("the rescuer fences its finish with this token").isNotBlank();
    assertThat(found.leaseExpiresAt()).isEqualTo(now().plusSeconds(10));
    assertThat(store().findExpiredLeases(now().plusSeconds(61), 100))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(shortLease.id(), longLease.id());
  }

  @Test
  void expired_leases_come_oldest_expiry_first_and_at_most_limit() {
    Job a = enqueue(newJob().type("a"));
    Job b = enqueue(newJob().type("b"));
    Job c = enqueue(newJob().type("c"));
    claimWithLease(b, Duration.ofSeconds(5));
    claimWithLease(a, Duration.ofSeconds(15));
    claimWithLease(c, Duration.ofSeconds(10));

    Instant later = now().plusSeconds(60);

    assertThat(store().findExpiredLeases(later, 10))
        .extracting(Job::id)
        .containsExactly(b.id(), c.id(), a.id());
    assertThat(store().findExpiredLeases(later, 2))
        .extracting(Job::id)
        .containsExactly(b.id(), c.id());
  }

  private Job claimWithLease(Job job, Duration lease) {
    return store()
        .claim(
            new ClaimRequest(
                WORKER, List.of(quota(job.lane(), 1)), Set.of(job.type()), lease, now()))
        .get(0);
  }

  @Test
  void a_heartbeat_after_expiry_but_before_any_rescue_renews_the_lease() {
    Job running = jobIn(JobState.RUNNING);
    advance(LEASE.plusSeconds(5));
    assertThat(store().findExpiredLeases(now(), 10))
        .extracting(Job::id)
        .containsExactly(running.id());

    store().heartbeat(running.id(), running.leaseToken(), now().plus(LEASE), null, null);

    assertThat(store().findExpiredLeases(now(), 10)).isEmpty();
    assertThat(get(running.id()).leaseExpiresAt()).isEqualTo(now().plus(LEASE));
  }

  @Test
  void after_a_rescue_the_stale_worker_can_neither_heartbeat_nor_finish_the_job() {
    Job first = claimJob(enqueue(newJob()), "worker-a");
    advance(LEASE.plusSeconds(1));
    Job expired = store().findExpiredLeases(now(), 10).get(0);
    Job rescued =
        store()
            .finish(
                new Finish(
                    expired.id(),
                    expired.leaseToken(),
                    AttemptOutcome.LEASE_EXPIRED,
                    JobState.READY,
                    null,
                    JobError.of("LeaseExpired", "no heartbeat"),
                    null,
                    now()));
    assertThat(rescued.state()).isEqualTo(JobState.READY);

    assertThatThrownBy(
            () -> store().heartbeat(first.id(), first.leaseToken(), now().plus(LEASE), 0.9, null))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> succeed(first)).isInstanceOf(LeaseLostException.class);
    assertThat(get(first.id()).state()).isEqualTo(JobState.READY);

    advance(Duration.ofSeconds(1));
    Job second = claimJob(get(first.id()), "worker-b");
    assertThatThrownBy(() -> succeed(first)).isInstanceOf(LeaseLostException.class);
    assertThat(get(first.id()).leaseOwner()).isEqualTo("worker-b");
    advance(Duration.ofSeconds(1));
    Job done = succeed(second);

    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(get(first.id()).attempts())
        .extracting(Attempt::attempt, Attempt::outcome, Attempt::workerId)
        .containsExactly(
            tuple(1, AttemptOutcome.LEASE_EXPIRED, "worker-a"),
            tuple(2, AttemptOutcome.SUCCEEDED, "worker-b"));
  }

  /** The reaper's finish: a retry after the expired attempt, applied only if the lease expired. */
  private Finish rescue(Job expired) {
    return new Finish(
            expired.id(),
            expired.leaseToken(),
            AttemptOutcome.LEASE_EXPIRED,
            JobState.SCHEDULED,
            now().plusSeconds(30),
            JobError.of("LeaseExpired", "no heartbeat"),
            null,
            now())
        .ifExpiredBefore(now());
  }

  @Test
  void a_rescue_read_before_a_heartbeat_renewed_the_lease_is_refused_and_changes_nothing() {
    Job running = jobIn(JobState.RUNNING);
    advance(LEASE.plusSeconds(5));
    Job expired = store().findExpiredLeases(now(), 10).getFirst();
    Instant renewed = now().plus(LEASE);
    store().heartbeat(running.id(), running.leaseToken(), renewed, 0.5, "still here");
    Job before = get(running.id());

    assertThatThrownBy(() -> store().finish(rescue(expired))).isInstanceOf(LeaseLostException.class);
    assertThat(store().finishAll(List.of(rescue(expired)))).isEmpty();

    Job after = get(running.id());
    assertThat(after).isEqualTo(before);
    assertThat(after.state()).isEqualTo(JobState.RUNNING);
    assertThat(after.leaseToken()).isEqualTo(running.leaseToken());
    assertThat(after.leaseExpiresAt()).isEqualTo(renewed);
    assertThat(after.attempts()).isEmpty();
    assertThat(store().heartbeat(running.id(), running.leaseToken(), renewed.plusSeconds(1), null, null).leaseExpiresAt())
        .as("the worker still holds its lease")
        .isEqualTo(renewed.plusSeconds(1));
  }

  @Test
  void a_rescue_applies_once_the_lease_has_expired() {
    Job running = jobIn(JobState.RUNNING);
    advance(LEASE.plusSeconds(1));
    Job expired = store().findExpiredLeases(now(), 10).getFirst();

    Job rescued = store().finish(rescue(expired));

    assertThat(rescued.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(rescued.leaseToken()).isNull();
    assertThat(get(running.id()).attempts())
        .extracting(Attempt::outcome)
        .containsExactly(AttemptOutcome.LEASE_EXPIRED);
  }
}
