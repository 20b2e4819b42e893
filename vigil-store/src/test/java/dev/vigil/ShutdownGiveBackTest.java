package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job whose node shut down while it ran is given back, and that give-back is not one of its
 * attempts: a job of two attempts survives a restart and one real failure. The second node's
 * clock stands still, so the retry stays scheduled for the assertions.
 */
class ShutdownGiveBackTest {

  @TempDir Path dir;

  @Test
  void a_job_given_back_at_shutdown_still_has_both_of_its_attempts_for_real_failures() throws Exception {
    var running = new CountDownLatch(1);
    String id;
    try (Vigil first =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .shutdownGrace(Duration.ZERO)
            .handler(
                "dream",
                ctx -> {
                  running.countDown();
                  new CountDownLatch(1).await(1, TimeUnit.MINUTES);
                })
            .start()) {
      id = first.enqueue(JobRequest.builder("dream").maxAttempts(2).build()).id();
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    }

    var frozen = new ManualClock(Instant.now());
    try (Vigil second =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .clock(frozen)
            .retryPolicy(new RetryPolicy(2, Duration.ofHours(1), Duration.ofHours(1)))
            .handler(
                "dream",
                ctx -> {
                  throw new IllegalStateException("the model timed out");
                })
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> second.get(id).orElseThrow().attempts().size() == 2);

      Job after = second.get(id).orElseThrow();
      assertThat(after.state()).as("retried, not dead: one of two attempts failed").isEqualTo(JobState.SCHEDULED);
      assertThat(after.attempts())
          .extracting(Attempt::outcome)
          .containsExactly(AttemptOutcome.LEASE_EXPIRED, AttemptOutcome.FAILED);
    }
  }
}
