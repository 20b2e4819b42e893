package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs prefetched for a lane whose jobs then turn slow: their leases are never renewed while they
 * wait, so they must go back to the queue, unharmed, before those leases run out, and a
 * cancellation must reach them.
 *
 * <p>Set-up (the review's reproduction): 4 slots, a 2 s lease, 1,100 background jobs of one
 * attempt each. The first 1,000 end at once, so the lane is prefetched for; every later one holds
 * its slot until the test lets it go, so 4 of them hold all 4 slots while the dispatcher holds
 * prefetched ones.
 */
class PrefetchLeaseTest {
  private static final int WORKERS = 4;
  private static final int JOBS = 1_100;
  private static final int FLOWING = 1_000;
  private static final Duration LEASE = Duration.ofSeconds(2);

  @TempDir Path dir;

  private final Semaphore held = new Semaphore(0);
  private final AtomicInteger starts = new AtomicInteger();
  private final Map<String, Integer> runs = new ConcurrentHashMap<>();
  private Vigil vigil;
  private Set<String> prefetchedIds;

  @BeforeEach
  void holdEverySlotWhileJobsArePrefetched() {
    var lanes = new ArrayList<>(Lane.DEFAULTS);
    lanes.set(3, Lane.DEFAULTS.get(3).withReserved(0));
    vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .workers(WORKERS)
            .lanes(lanes)
            .leaseDuration(LEASE)
            .shutdownGrace(Duration.ZERO)
            .handler(
                "tick",
                ctx -> {
                  runs.merge(ctx.jobId(), 1, Integer::sum);
                  if (starts.incrementAndGet() > FLOWING) {
                    held.acquire();
                  }
                })
            .start();
    var ticks = new ArrayList<JobRequest>();
    for (int i = 0; i < JOBS; i++) {
      ticks.add(JobRequest.builder("tick").lane("background").maxAttempts(1).build());
    }
    vigil.enqueueAll(ticks);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> held.getQueueLength() == WORKERS && vigil.prefetched() > 0);
    prefetchedIds = new HashSet<>(runningIds());
    prefetchedIds.removeAll(runs.keySet());
    assertThat(prefetchedIds).hasSize(vigil.prefetched());
  }

  @AfterEach
  void stop() {
    held.release(JOBS);
    vigil.close();
  }

  @Test
  void prefetched_jobs_whose_slots_stay_busy_past_their_lease_go_back_to_the_queue_and_later_run_once() {
    await()
        .atMost(Duration.ofSeconds(30))
        .alias("every prefetched job left its claim's lease")
        .until(() -> prefetchedIds.stream().allMatch(id -> job(id).state() != JobState.RUNNING));
    for (String id : prefetchedIds) {
      Job back = job(id);
      assertThat(back.state()).as("job %s after its claim expired unstarted", id).isEqualTo(JobState.READY);
      assertThat(back.attempt()).as("no attempt spent").isZero();
      assertThat(back.attempts()).isEmpty();
    }

    held.release(JOBS);
    await().atMost(Duration.ofSeconds(60)).until(() -> vigil.counts().get(JobState.SUCCEEDED) == JOBS);

    assertThat(vigil.counts().get(JobState.DEAD)).isZero();
    for (String id : prefetchedIds) {
      assertThat(runs.get(id)).as("runs of job %s", id).isEqualTo(1);
      assertThat(job(id).attempts())
          .extracting(Attempt::attempt, Attempt::outcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1, AttemptOutcome.SUCCEEDED));
    }
  }

  @Test
  void cancelling_a_prefetched_job_ends_it_cancelled_without_running_it() {
    String id = prefetchedIds.iterator().next();

    Job answered = vigil.cancel(id);

    assertThat(answered.state()).isEqualTo(JobState.RUNNING);
    assertThat(answered.cancelRequested()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> job(id).state() == JobState.CANCELLED);
    held.release(JOBS);
    await().atMost(Duration.ofSeconds(60)).until(() -> vigil.counts().get(JobState.SUCCEEDED) == JOBS - 1);

    Job cancelled = job(id);
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.attempts()).as("it never ran").isEmpty();
    assertThat(runs).doesNotContainKey(id);
  }

  @Test
  void prefetched_jobs_given_back_at_shutdown_start_their_first_attempt_on_the_next_run() {
    vigil.close();

    Map<String, Integer> attemptSeen = new ConcurrentHashMap<>();
    try (Vigil reopened =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .workers(WORKERS)
            .handler("tick", ctx -> attemptSeen.put(ctx.jobId(), ctx.attempt()))
            .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> reopened.counts().get(JobState.SUCCEEDED) == JOBS);
      for (String id : prefetchedIds) {
        assertThat(attemptSeen.get(id)).as("attempt seen by the handler of job %s", id).isEqualTo(1);
        assertThat(reopened.get(id).orElseThrow().attempts()).hasSize(1);
      }
    }
  }

  private Job job(String id) {
    return vigil.get(id).orElseThrow();
  }

  private List<String> runningIds() {
    return vigil
        .find(JobQuery.all().withStates(Set.of(JobState.RUNNING)).withLimit(100))
        .jobs()
        .stream()
        .map(Job::id)
        .toList();
  }
}
