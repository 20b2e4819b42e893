package dev.vigil.store;

import static dev.vigil.store.TestJobs.T0;
import static dev.vigil.store.TestJobs.claim;
import static dev.vigil.store.TestJobs.job;
import static dev.vigil.store.TestJobs.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job lifecycle on the SQLite store: enqueue, claim, heartbeat, finish, cancel, retry. */
class SqliteStoreJobsTest {
  @TempDir Path dir;
  SqliteJobStore store;
  final List<String> told = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    store.addReadyListener(told::add);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void an_enqueued_job_reads_back_with_every_field() {
    NewJob nj = job().lane("cognition").uniqueKey("k1").correlationId("c-1")
        .tags(List.of("chat", "eu")).payload("{\"post\":\"p1\"}").build();

    Job inserted = store.enqueue(List.of(nj)).getFirst();

    assertThat(inserted.duplicate()).isFalse();
    Job read = store.get(nj.id()).orElseThrow();
    assertThat(read).isEqualTo(inserted);
    assertThat(read.state()).isEqualTo(JobState.READY);
    assertThat(read.tags()).containsExactly("chat", "eu");
    assertThat(read.payloadJson()).isEqualTo("{\"post\":\"p1\"}");
    assertThat(read.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(read.createdAt()).isEqualTo(T0);
    assertThat(told).containsExactly("cognition");
  }

  @Test
  void a_unique_key_held_by_an_active_job_returns_that_job_flagged_duplicate() {
    Job first = store.enqueue(List.of(job().uniqueKey("reply:p1").build())).getFirst();

    Job again = store.enqueue(List.of(job().uniqueKey("reply:p1").build())).getFirst();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.duplicate()).isTrue();
    assertThat(store.countByState()).containsEntry(JobState.READY, 1L);
  }

  @Test
  void duplicates_within_one_list_return_the_earlier_job() {
    NewJob a = job().uniqueKey("k").build();
    NewJob b = job().uniqueKey("k").build();

    List<Job> out = store.enqueue(List.of(a, b));

    assertThat(out).extracting(Job::id).containsExactly(a.id(), a.id());
    assertThat(out).extracting(Job::duplicate).containsExactly(false, true);
  }

  @Test
  void a_unique_key_is_free_again_once_its_job_ended() {
    Job first = store.enqueue(List.of(job().uniqueKey("k").build())).getFirst();
    store.cancel(first.id(), T0);

    Job second = store.enqueue(List.of(job().uniqueKey("k").build())).getFirst();

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.duplicate()).isFalse();
  }

  @Test
  void a_list_with_one_bad_job_stores_none() {
    NewJob good = ready("background");
    NewJob clash = job().id(good.id()).build();

    assertThatThrownBy(() -> store.enqueue(List.of(good, clash))).isInstanceOf(StoreException.class);

    assertThat(store.get(good.id())).isEmpty();
  }

  @Test
  void claim_takes_the_oldest_run_at_first_then_by_id_and_leases_each_job() {
    NewJob late = job().runAt(T0.plusSeconds(5)).build();
    NewJob early = job().runAt(T0.minusSeconds(5)).build();
    NewJob tieA = job().runAt(T0).build();
    NewJob tieB = job().runAt(T0).build();
    store.enqueue(List.of(late, tieB, early, tieA));

    List<Job> claimed = store.claim(claim("background", 3));

    assertThat(claimed).extracting(Job::id).containsExactly(early.id(), tieA.id(), tieB.id());
    Job j = claimed.getFirst();
    assertThat(j.state()).isEqualTo(JobState.RUNNING);
    assertThat(j.attempt()).isEqualTo(1);
    assertThat(j.startedAt()).isEqualTo(T0);
    assertThat(j.leaseOwner()).isEqualTo("worker-1");
    assertThat(j.leaseExpiresAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(j.leaseToken()).matches("[0-9a-f]{32}");
    assertThat(claimed).extracting(Job::leaseToken).doesNotHaveDuplicates();
  }

  @Test
  void claim_keeps_the_lane_within_its_cap_and_skips_other_types_and_paused_lanes() {
    store.enqueue(List.of(ready("social"), ready("social"), ready("social"),
        job().lane("social").type("other").build()));
    store.claim(claim("social", 1));

    assertThat(store.claim(claim("social", 10, 2, Set.of("summarise")))).hasSize(1);
    assertThat(store.claim(claim("social", 10, 2, Set.of()))).isEmpty();

    store.enqueue(List.of(ready("sensory")));
    store.setLanePaused("sensory", true);
    assertThat(store.claim(claim("sensory", 5))).isEmpty();
    store.setLanePaused("sensory", false);
    assertThat(store.claim(claim("sensory", 5))).hasSize(1);
    assertThat(store.lanePauses()).containsEntry("sensory", false);
  }

  @Test
  void finish_with_success_stores_the_result_and_records_the_attempt() {
    store.enqueue(List.of(ready("background")));
    Job running = store.claim(claim("background", 1)).getFirst();

    Job done = store.finish(new Finish(running.id(), running.leaseToken(), AttemptOutcome.SUCCEEDED,
        JobState.SUCCEEDED, null, null, "{\"ok\":true}", T0.plusSeconds(2)));

    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.resultJson()).isEqualTo("{\"ok\":true}");
    assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(done.leaseToken()).isNull();
    var attempts = store.get(running.id()).orElseThrow().attempts();
    assertThat(attempts).singleElement().satisfies(a -> {
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.startedAt()).isEqualTo(T0);
      assertThat(a.workerId()).isEqualTo("worker-1");
      assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
    });
  }

  @Test
  void a_failed_attempt_is_scheduled_for_retry_with_its_error_and_promoted_when_due() {
    store.enqueue(List.of(ready("background")));
    Job running = store.claim(claim("background", 1)).getFirst();
    JobError boom = JobError.of("java.io.IOException", "provider timed out");

    Job retrying = store.finish(new Finish(running.id(), running.leaseToken(), AttemptOutcome.FAILED,
        JobState.SCHEDULED, T0.plusSeconds(60), boom, null, T0.plusSeconds(1)));

    assertThat(retrying.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(retrying.runAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(retrying.lastError()).isEqualTo(boom);
    assertThat(store.nextScheduledRunAt()).contains(T0.plusSeconds(60));
    assertThat(store.promoteDue(T0.plusSeconds(59), 10)).isEmpty();
    told.clear();
    assertThat(store.promoteDue(T0.plusSeconds(60), 10)).extracting(Job::state).containsExactly(JobState.READY);
    assertThat(told).containsExactly("background");
    Job again = store.claim(claim("background", 1)).getFirst();
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(store.get(again.id()).orElseThrow().attempts().getFirst().error()).isEqualTo(boom);
  }

  @Test
  void a_stale_lease_token_changes_nothing() {
    store.enqueue(List.of(ready("background")));
    Job running = store.claim(claim("background", 1)).getFirst();
    Finish stale = new Finish(running.id(), "0".repeat(32), AttemptOutcome.SUCCEEDED,
        JobState.SUCCEEDED, null, null, null, T0);

    assertThatThrownBy(() -> store.finish(stale)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> store.heartbeat(running.id(), "0".repeat(32), T0, 0.5, null))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> store.heartbeat("missing", "x", T0, null, null))
        .isInstanceOf(JobNotFoundException.class);
    assertThat(store.get(running.id()).orElseThrow()).isEqualTo(running);
  }

  @Test
  void heartbeat_extends_the_lease_records_progress_and_reports_cancellation() {
    store.enqueue(List.of(ready("background")));
    Job running = store.claim(claim("background", 1)).getFirst();

    HeartbeatResult beat = store.heartbeat(running.id(), running.leaseToken(), T0.plusSeconds(90), 0.4, "half");
    assertThat(beat).isEqualTo(new HeartbeatResult(T0.plusSeconds(90), false));
    store.cancel(running.id(), T0);
    HeartbeatResult after = store.heartbeat(running.id(), running.leaseToken(), T0.plusSeconds(95), null, null);

    assertThat(after.cancelRequested()).isTrue();
    Job read = store.get(running.id()).orElseThrow();
    assertThat(read.progress()).isEqualTo(0.4);
    assertThat(read.progressMessage()).isEqualTo("half");
    assertThat(read.leaseExpiresAt()).isEqualTo(T0.plusSeconds(95));
    assertThat(store.findExpiredLeases(T0.plusSeconds(96), 10)).extracting(Job::id).containsExactly(running.id());
    assertThat(store.findExpiredLeases(T0.plusSeconds(95), 10)).isEmpty();
  }

  @Test
  void cancel_ends_waiting_jobs_at_once_and_refuses_finished_ones() {
    Job waiting = store.enqueue(List.of(ready("background"))).getFirst();

    Job cancelled = store.cancel(waiting.id(), T0.plusSeconds(1));

    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.finishedAt()).isEqualTo(T0.plusSeconds(1));
    assertThatThrownBy(() -> store.cancel(waiting.id(), T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> store.cancel("missing", T0)).isInstanceOf(JobNotFoundException.class);
  }

  @Test
  void retry_sends_a_cancelled_job_back_to_ready_unless_its_key_is_taken() {
    Job first = store.enqueue(List.of(job().uniqueKey("k").build())).getFirst();
    store.cancel(first.id(), T0);

    Job retried = store.retry(first.id(), T0.plusSeconds(9));
    assertThat(retried.state()).isEqualTo(JobState.READY);
    assertThat(retried.runAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(retried.finishedAt()).isNull();

    store.cancel(first.id(), T0);
    store.enqueue(List.of(job().uniqueKey("k").build()));
    assertThatThrownBy(() -> store.retry(first.id(), T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> store.retry(retried.id() + "x", T0))
        .isInstanceOf(JobNotFoundException.class);
  }

  @Test
  void giving_a_lease_back_makes_the_job_ready_and_tells_listeners() {
    store.enqueue(List.of(ready("social")));
    Job running = store.claim(claim("social", 1)).getFirst();
    told.clear();

    Job back = store.finish(new Finish(running.id(), running.leaseToken(), AttemptOutcome.LEASE_EXPIRED,
        JobState.READY, null, null, null, T0));

    assertThat(back.state()).isEqualTo(JobState.READY);
    assertThat(back.leaseOwner()).isNull();
    assertThat(told).containsExactly("social");
  }
}
