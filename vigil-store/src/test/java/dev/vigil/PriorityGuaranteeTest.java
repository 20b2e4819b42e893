package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat-bot guarantee: chat never waits behind dreams. With 8 slots, 2 of them reserved above
 * {@code background}, every background slot busy with 30-second jobs and 10,000 more background
 * jobs waiting, a new {@code cognition} job starts at once: before any further background job, and
 * while every background job is still running.
 */
class PriorityGuaranteeTest {
  @TempDir Path dir;

  @Test
  void cognition_job_starts_before_any_further_background_job_and_before_a_background_slot_frees()
      throws Exception {
    var dreamsMayEnd = new CountDownLatch(1);
    var backgroundStarted = new AtomicInteger();
    var sixDreaming = new CountDownLatch(6);
    var chatStarted = new CountDownLatch(1);
    var backgroundStartsWhenChatStarted = new AtomicInteger(-1);
    var lanes = new ArrayList<>(Lane.DEFAULTS);
    lanes.set(3, Lane.DEFAULTS.get(3).withReserved(2));

    try (Vigil vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .workers(8)
            .lanes(lanes)
            .timeout(Duration.ofMinutes(2))
            .shutdownGrace(Duration.ZERO)
            .handler("dream", ctx -> {
              backgroundStarted.incrementAndGet();
              sixDreaming.countDown();
              dreamsMayEnd.await(30, TimeUnit.SECONDS);
            })
            .handler("chat_reply", ctx -> {
              backgroundStartsWhenChatStarted.set(backgroundStarted.get());
              chatStarted.countDown();
            })
            .start()) {

      var dreams = new ArrayList<JobRequest>();
      for (int i = 0; i < 6; i++) {
        dreams.add(JobRequest.builder("dream").build());
      }
      vigil.enqueueAll(dreams);
      assertThat(sixDreaming.await(30, TimeUnit.SECONDS)).isTrue();

      for (int batch = 0; batch < 10; batch++) {
        var backlog = new ArrayList<JobRequest>(1_000);
        for (int i = 0; i < 1_000; i++) {
          backlog.add(JobRequest.builder("dream").build());
        }
        vigil.enqueueAll(backlog);
      }
      assertThat(vigil.lanes().get(3).ready()).isEqualTo(10_000);

      vigil.enqueue(JobRequest.builder("chat_reply").lane("cognition").build());

      assertThat(chatStarted.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(backgroundStartsWhenChatStarted).hasValue(6);
      assertThat(dreamsMayEnd.getCount()).as("no background job has ended yet").isEqualTo(1);
      assertThat(backgroundStarted).hasValue(6);
      assertThat(vigil.lanes().get(3).running()).isEqualTo(6);
      assertThat(vigil.find(dev.vigil.job.JobQuery.all().withLane("cognition")).jobs())
          .allSatisfy(j -> assertThat(j.state()).isIn(JobState.RUNNING, JobState.SUCCEEDED));
      dreamsMayEnd.countDown();
    }
  }
}
