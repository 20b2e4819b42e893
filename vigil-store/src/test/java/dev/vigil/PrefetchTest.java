package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.JobQuery;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs claimed ahead of free slots (prefetched) for a lane of short jobs: they never take a slot
 * the lane scheduler gives a higher lane, and they are given back when the engine stops.
 *
 * <p>Set-up: 4 slots, {@code background} reserving nothing, 2,000 background jobs. The first
 * 1,000 end at once (so the lane turns over fast and is prefetched for); every later one holds its
 * slot, so 4 of them hold all 4 slots and the dispatcher is left holding prefetched ones.
 */
class PrefetchTest {
  private static final int WORKERS = 4;
  private static final int BACKGROUND_JOBS = 2_000;

  /** Background jobs that end at once; every later one holds its slot until released. */
  private static final int FLOWING = 1_000;

  @TempDir Path dir;

  private final Semaphore held = new Semaphore(0);
  private final AtomicInteger backgroundStarts = new AtomicInteger();
  private final CountDownLatch chatStarted = new CountDownLatch(1);
  private final CountDownLatch chatMayEnd = new CountDownLatch(1);
  private Vigil vigil;

  @BeforeEach
  void fillEverySlotWithHeldBackgroundJobsWhileJobsArePrefetched() {
    var lanes = new ArrayList<>(Lane.DEFAULTS);
    lanes.set(3, Lane.DEFAULTS.get(3).withReserved(0));
    vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .workers(WORKERS)
            .lanes(lanes)
            .shutdownGrace(Duration.ZERO)
            .handler(
                "tick",
                ctx -> {
                  if (backgroundStarts.incrementAndGet() > FLOWING) {
                    held.acquire();
                  }
                })
            .handler(
                "chat_reply",
                ctx -> {
                  chatStarted.countDown();
                  chatMayEnd.await(30, TimeUnit.SECONDS);
                })
            .start();
    var ticks = new ArrayList<JobRequest>();
    for (int i = 0; i < BACKGROUND_JOBS; i++) {
      ticks.add(JobRequest.builder("tick").lane("background").build());
    }
    vigil.enqueueAll(ticks);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> held.getQueueLength() == WORKERS && vigil.prefetched() > 0);
  }

  @AfterEach
  void stop() {
    chatMayEnd.countDown();
    held.release(BACKGROUND_JOBS);
    vigil.close();
  }

  @Test
  void a_freed_slot_goes_to_a_waiting_cognition_job_before_any_prefetched_background_job()
      throws Exception {
    int prefetched = vigil.prefetched();
    int startsBefore = backgroundStarts.get();

    vigil.enqueue(JobRequest.builder("chat_reply").lane("cognition").build());
    held.release(1);

    assertThat(chatStarted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(backgroundStarts.get())
        .as("no prefetched background job started in the slot the chat job needed")
        .isEqualTo(startsBefore);
    assertThat(vigil.prefetched()).as("prefetched jobs still waiting").isGreaterThanOrEqualTo(prefetched);
  }

  @Test
  void prefetched_jobs_are_given_back_to_the_queue_when_the_engine_stops() {
    int prefetched = vigil.prefetched();
    Set<String> prefetchedIds = runningIds();
    assertThat(prefetchedIds).hasSize(WORKERS + prefetched);

    vigil.close();

    try (Vigil reopened =
        Vigil.builder().store(SqliteJobStore.open(dir.resolve("vigil.db"))).start()) {
      Map<JobState, Long> counts = reopened.counts();
      assertThat(counts.getOrDefault(JobState.RUNNING, 0L)).isZero();
      assertThat(counts.getOrDefault(JobState.READY, 0L) + counts.getOrDefault(JobState.SUCCEEDED, 0L))
          .isEqualTo(BACKGROUND_JOBS);
      for (String id : prefetchedIds) {
        assertThat(reopened.get(id).orElseThrow().state()).isEqualTo(JobState.READY);
      }
    }
  }

  /** The ids the store shows running: the held jobs and the prefetched ones. */
  private Set<String> runningIds() {
    List<String> ids = new ArrayList<>();
    vigil
        .find(JobQuery.all().withStates(Set.of(JobState.RUNNING)).withLimit(100))
        .jobs()
        .forEach(j -> ids.add(j.id()));
    return Set.copyOf(ids);
  }
}
