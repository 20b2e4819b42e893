package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper's rescue of a remote worker's expired lease keeps the engine's promises: it never
 * takes a job from a worker that renewed its lease meanwhile, and it never undoes a cancellation
 * the operator asked for. Time is a {@link ManualClock}; {@link Vigil#runDueNow()} runs the reaper.
 */
class LeaseRescueTest {
  private static final Duration LEASE = Duration.ofSeconds(5);

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private StoreFaults faults;
  private Vigil vigil;

  @BeforeEach
  void start() {
    faults = StoreFaults.around(SqliteJobStore.open(dir.resolve("vigil.db")));
    vigil = Vigil.builder().store(faults.store()).clock(clock).start();
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  private Job claimed() throws InterruptedException {
    vigil.enqueue(JobRequest.builder("summarise").lane("cognition").maxAttempts(3).build());
    List<Job> jobs =
        vigil.claim(new WorkerClaim("py-1", List.of("cognition"), Set.of(), 1, Duration.ZERO, LEASE));
    assertThat(jobs).hasSize(1);
    return jobs.getFirst();
  }

  @Test
  void a_worker_that_renews_its_lease_while_the_reaper_is_rescuing_it_keeps_the_job() throws Exception {
    Job job = claimed();
    clock.advance(LEASE.plusSeconds(1));
    faults.on(
        "findExpiredLeases",
        new StoreFaults.Fault() {
          @Override
          public Object after(Object[] args, Object answer) {
            vigil.heartbeat(job.id(), job.leaseToken(), 0.5, "still working", LEASE);
            return answer;
          }
        });

    vigil.runDueNow();

    Job after = vigil.get(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.RUNNING);
    assertThat(after.leaseToken()).isEqualTo(job.leaseToken());
    assertThat(after.attempts()).as("no attempt ended by a rescue").isEmpty();
    assertThat(vigil.complete(job.id(), job.leaseToken(), "{\"ok\":true}").state())
        .as("the worker that renewed still completes its job")
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void a_job_asked_to_cancel_whose_worker_died_ends_cancelled_when_its_lease_is_rescued() throws Exception {
    Job job = claimed();
    Job asked = vigil.cancel(job.id());
    assertThat(asked.cancelRequested()).isTrue();
    clock.advance(LEASE.plusSeconds(1));

    vigil.runDueNow();

    Job after = vigil.get(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.CANCELLED);
    assertThat(after.finishedAt()).isEqualTo(clock.instant());
    assertThat(after.attempts()).extracting(Attempt::outcome).containsExactly(AttemptOutcome.LEASE_EXPIRED);
    clock.advance(Duration.ofHours(1));
    vigil.runDueNow();
    assertThat(vigil.claim(new WorkerClaim("py-2", List.of(), Set.of(), 1, Duration.ZERO, LEASE)))
        .as("nothing left to run")
        .isEmpty();
  }
}
