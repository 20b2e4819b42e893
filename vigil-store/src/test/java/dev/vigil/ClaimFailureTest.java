package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.JobRequest;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.SqliteJobStore;
import dev.vigil.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ready work starts on a busy node even when the dispatcher was told nothing about it: after a
 * failed claim, and when the store's wake-up for a lane is lost. In both cases a steady stream
 * of cognition jobs (one every 300 ms) keeps the dispatcher busy with other signals, which must
 * not keep it from looking again.
 */
class ClaimFailureTest {
  private static final int BACKGROUND_JOBS = 5;

  @TempDir Path dir;

  private final CountDownLatch backgroundStarted = new CountDownLatch(BACKGROUND_JOBS);
  private final ScheduledExecutorService chat = Executors.newSingleThreadScheduledExecutor();
  private Vigil vigil;

  @AfterEach
  void stop() {
    chat.shutdownNow();
    if (vigil != null) {
      vigil.close();
    }
  }

  private void startWith(StoreFaults faults) {
    vigil =
        Vigil.builder()
            .store(faults.store())
            .handler("chat_reply", ctx -> {})
            .handler("dream", ctx -> backgroundStarted.countDown())
            .start();
    chat.scheduleAtFixedRate(
        () -> vigil.enqueue(JobRequest.builder("chat_reply").lane("cognition").build()),
        0, 300, TimeUnit.MILLISECONDS);
  }

  /** Five background jobs in one enqueue: one commit, one wake-up for the lane. */
  private void enqueueBackground() {
    var dreams = new ArrayList<JobRequest>();
    for (int i = 0; i < BACKGROUND_JOBS; i++) {
      dreams.add(JobRequest.builder("dream").lane("background").build());
    }
    vigil.enqueueAll(dreams);
  }

  @Test
  void ready_background_jobs_start_after_a_failed_claim_while_chat_jobs_keep_arriving() throws Exception {
    StoreFaults faults = StoreFaults.around(SqliteJobStore.open(dir.resolve("vigil.db")));
    startWith(faults);
    faults.failOnce(
        "claim",
        args -> ((ClaimRequest) args[0]).quotas().stream().anyMatch(q -> q.lane().equals("background")),
        new StoreException("injected: the claim failed"));

    enqueueBackground();

    assertThat(backgroundStarted.await(10, TimeUnit.SECONDS))
        .as("background jobs started while chat jobs kept arriving")
        .isTrue();
  }

  @Test
  void a_lane_whose_wake_up_was_lost_is_found_by_the_safety_poll_while_other_lanes_keep_signalling() throws Exception {
    StoreFaults faults = StoreFaults.around(SqliteJobStore.open(dir.resolve("vigil.db")));
    faults.beforeEach(
        "addReadyListener",
        args -> {
          @SuppressWarnings("unchecked")
          Consumer<String> listener = (Consumer<String>) args[0];
          args[0] = (Consumer<String>) lane -> {
            if (!lane.equals("background")) {
              listener.accept(lane);
            }
          };
        });
    startWith(faults);
    await().atMost(Duration.ofSeconds(10)).until(() -> vigil.counts().values().stream().mapToLong(Long::longValue).sum() > 3);

    enqueueBackground();

    assertThat(backgroundStarted.await(10, TimeUnit.SECONDS))
        .as("background jobs found by the once-a-second safety poll")
        .isTrue();
  }
}
