package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote workers through the engine: claims planned like node slots, fenced reports. */
class RemoteClaimTest {
  @TempDir Path dir;
  private Vigil vigil;

  @BeforeEach
  void start() {
    vigil = Vigil.builder().store(SqliteJobStore.open(dir.resolve("vigil.db"))).shutdownGrace(Duration.ZERO).start();
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  private static WorkerClaim claim(int max, Duration wait, String... lanes) {
    return new WorkerClaim("py-1", List.of(lanes), Set.of(), max, wait, Duration.ofSeconds(30));
  }

  @Test
  void a_one_job_worker_serving_every_lane_gets_each_cognition_job_in_turn() throws Exception {
    for (int i = 0; i < 5; i++) {
      vigil.enqueue(JobRequest.builder("chat").lane("cognition").build());
    }
    var got = new ArrayList<Job>();
    for (int i = 0; i < 5; i++) {
      got.addAll(vigil.claim(claim(1, Duration.ZERO)));
    }
    assertThat(got).hasSize(5).allSatisfy(j -> assertThat(j.lane()).isEqualTo("cognition"));
  }

  @Test
  void claims_share_by_weight_and_leave_reserved_slots_for_the_higher_lanes_served() throws Exception {
    var batch = new ArrayList<JobRequest>();
    for (int i = 0; i < 20; i++) {
      batch.add(JobRequest.builder("chat").lane("cognition").build());
      batch.add(JobRequest.builder("dream").lane("background").build());
    }
    vigil.enqueueAll(batch);

    List<Job> first = vigil.claim(claim(9, Duration.ZERO));

    long background = first.stream().filter(j -> j.lane().equals("background")).count();
    assertThat(first).hasSize(9);
    assertThat(background).as("background gets about a ninth, and never the reserved slots").isBetween(1L, 7L);
    assertThat(first.stream().filter(j -> j.lane().equals("cognition")).count()).isGreaterThan(background);
  }

  @Test
  void a_waiting_claim_is_woken_by_an_enqueue_long_before_its_wait_ends() throws Exception {
    CompletableFuture<List<Job>> waiting =
        CompletableFuture.supplyAsync(() -> {
          try {
            return vigil.claim(claim(1, Duration.ofSeconds(60), "social"));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> vigil.waitingClaims() == 1);

    Job job = vigil.enqueue(JobRequest.builder("post").lane("social").build());

    assertThat(waiting.get(10, TimeUnit.SECONDS)).extracting(Job::id).containsExactly(job.id());
  }

  @Test
  void a_stale_worker_changes_nothing_and_a_held_lease_completes() throws Exception {
    Job job = vigil.enqueue(JobRequest.builder("post").lane("social").build());
    Job claimed = vigil.claim(claim(1, Duration.ZERO)).get(0);

    assertThatThrownBy(() -> vigil.complete(job.id(), "stale-token", "{}")).isInstanceOf(LeaseLostException.class);
    assertThat(vigil.get(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

    Job done = vigil.complete(job.id(), claimed.leaseToken(), "{\"ok\":true}");
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.resultJson()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void a_job_whose_claim_answer_was_not_delivered_is_ready_again_without_an_attempt_spent() throws Exception {
    Job job = vigil.enqueue(JobRequest.builder("post").lane("social").build());
    List<Job> claimed = vigil.claim(claim(1, Duration.ZERO));

    vigil.unclaim(claimed);

    Job back = vigil.get(job.id()).orElseThrow();
    assertThat(back.state()).isEqualTo(JobState.READY);
    assertThat(back.attempt()).isZero();
    assertThat(back.attempts()).isEmpty();
    assertThat(vigil.claim(claim(1, Duration.ZERO))).extracting(Job::attempt).containsExactly(1);
  }

  @Test
  void a_claim_whose_worker_has_gone_leases_nothing() throws Exception {
    vigil.enqueue(JobRequest.builder("post").lane("social").build());

    assertThat(vigil.claim(claim(1, Duration.ofSeconds(30)), () -> false)).isEmpty();
    assertThat(vigil.claim(claim(1, Duration.ZERO), () -> false)).isEmpty();
    assertThat(vigil.counts().get(JobState.READY)).isEqualTo(1);
  }
}
