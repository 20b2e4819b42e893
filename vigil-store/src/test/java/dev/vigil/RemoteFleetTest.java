package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reserved slots hold across a fleet of remote workers, not only inside one claim: one-slot
 * workers (the usual shape of a Python worker) serving both chat and dreams leave the reserved
 * workers free for chat, with the default lanes ({@code background} reserves two slots).
 */
class RemoteFleetTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private Vigil vigil;

  @BeforeEach
  void start() {
    vigil = Vigil.builder().store(SqliteJobStore.open(dir.resolve("vigil.db"))).clock(clock).start();
    var dreams = new ArrayList<JobRequest>();
    for (int i = 0; i < 60; i++) {
      dreams.add(JobRequest.builder("dream").lane("background").build());
    }
    vigil.enqueueAll(dreams);
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  private List<Job> claimOne(String worker, String... lanes) throws InterruptedException {
    return vigil.claim(new WorkerClaim(worker, List.of(lanes), Set.of(), 1, Duration.ZERO, LEASE, 1));
  }

  /** Six one-slot workers, each waiting in a claim once so that the fleet knows them. */
  private void sixWorkersJoin() throws InterruptedException {
    for (int w = 1; w <= 6; w++) {
      vigil.claim(new WorkerClaim("w" + w, List.of("cognition"), Set.of(), 1, Duration.ZERO, LEASE, 1));
    }
  }

  @Test
  void one_slot_workers_serving_chat_and_dreams_leave_the_reserved_workers_free_for_chat() throws Exception {
    sixWorkersJoin();

    List<String> dreamers = new ArrayList<>();
    for (int w = 1; w <= 6; w++) {
      if (!claimOne("w" + w, "cognition", "background").isEmpty()) {
        dreamers.add("w" + w);
      }
    }
    assertThat(dreamers).as("workers given a dream").containsExactly("w1", "w2", "w3", "w4");

    Job chat = vigil.enqueue(JobRequest.builder("reply").lane("cognition").build());
    assertThat(claimOne("w5", "cognition", "background")).extracting(Job::id).containsExactly(chat.id());
    assertThat(claimOne("w6", "cognition", "background")).as("the last reserved worker waits for chat").isEmpty();
  }

  @Test
  void a_worker_that_ends_its_dream_gets_the_waiting_chat_job_before_the_next_dream() throws Exception {
    sixWorkersJoin();
    List<Job> dream = claimOne("w1", "cognition", "background");
    for (int w = 2; w <= 4; w++) {
      claimOne("w" + w, "cognition", "background");
    }
    vigil.complete(dream.getFirst().id(), dream.getFirst().leaseToken(), "{}");

    Job chat = vigil.enqueue(JobRequest.builder("reply").lane("cognition").build());

    assertThat(claimOne("w1", "cognition", "background")).extracting(Job::id).containsExactly(chat.id());
  }

  @Test
  void a_worker_that_serves_no_higher_lane_is_not_held_back_for_them() throws Exception {
    sixWorkersJoin();
    for (int w = 1; w <= 6; w++) {
      claimOne("w" + w, "cognition", "background");
    }

    assertThat(claimOne("dreams-only", "background")).hasSize(1);
  }

  @Test
  void a_lane_never_reserves_a_whole_fleet_of_two() throws Exception {
    vigil.claim(new WorkerClaim("a", List.of("cognition"), Set.of(), 1, Duration.ZERO, LEASE, 1));
    vigil.claim(new WorkerClaim("b", List.of("cognition"), Set.of(), 1, Duration.ZERO, LEASE, 1));

    assertThat(claimOne("a", "cognition", "background")).as("one of two may dream").hasSize(1);
    assertThat(claimOne("b", "cognition", "background")).as("the other stays free").isEmpty();
  }

  @Test
  void workers_gone_quiet_for_a_lease_no_longer_count_as_free_slots() throws Exception {
    for (String ghost : List.of("ghost-1", "ghost-2")) {
      vigil.claim(new WorkerClaim(ghost, List.of("cognition"), Set.of(), 1, Duration.ZERO, LEASE, 1));
    }
    clock.advance(LEASE.plusSeconds(1));

    assertThat(claimOne("w1", "cognition", "background")).hasSize(1);
    assertThat(claimOne("w2", "cognition", "background"))
        .as("with the ghosts gone, w2 is the only free slot left for chat")
        .isEmpty();
  }

  @Test
  void a_worker_declaring_several_slots_counts_them_all() throws Exception {
    vigil.claim(new WorkerClaim("big", List.of("cognition"), Set.of(), 1, Duration.ZERO, LEASE, 4));

    List<Job> got =
        vigil.claim(new WorkerClaim("big", List.of("cognition", "background"), Set.of(), 4, Duration.ZERO, LEASE, 4));

    assertThat(got).as("two of its four slots dream, two stay free for chat").hasSize(2);
  }

  @Test
  void a_claim_takes_no_more_jobs_than_the_worker_has_free_slots_even_when_it_asks_for_more() throws Exception {
    List<Job> got =
        vigil.claim(new WorkerClaim("solo", List.of("background"), Set.of(), 3, Duration.ZERO, LEASE, 1));

    assertThat(got).as("one slot, one job").hasSize(1);
    assertThat(vigil.claim(new WorkerClaim("big", List.of("background"), Set.of(), 10, Duration.ZERO, LEASE, 20)))
        .as("never more than max")
        .hasSize(10);
  }
}
