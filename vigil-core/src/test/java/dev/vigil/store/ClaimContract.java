package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Claims: which ready jobs a worker gets, in what order, and what a claim writes. */
public abstract class ClaimContract extends ContractSupport {

  protected ClaimContract(JobStoreContract kit) {
    super(kit);
  }

  @Test
  void within_a_lane_the_oldest_run_at_is_claimed_first_then_the_lowest_id() {
    Job dueNow = enqueue(newJob().readyAt(now()));
    Job dueEarlierA = enqueue(newJob().readyAt(now().minusSeconds(10)));
    Job dueEarlierB = enqueue(newJob().readyAt(now().minusSeconds(10)));
    Job dueEarliest = enqueue(newJob().readyAt(now().minusSeconds(20)));

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.addAll(claim("background", 1).stream().map(Job::id).toList());
    }

    assertThat(order)
        .containsExactly(dueEarliest.id(), dueEarlierA.id(), dueEarlierB.id(), dueNow.id());
  }

  @Test
  void a_claim_takes_at_most_max_jobs_and_the_oldest_ones() {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(enqueue(newJob().readyAt(now().plusMillis(i))));
    }

    List<Job> claimed = claim("background", 2);

    assertThat(claimed)
        .extracting(Job::id)
        .containsExactlyInAnyOrder(jobs.get(0).id(), jobs.get(1).id());
    assertThat(store().countByState().get(JobState.READY)).isEqualTo(3L);
  }

  @Test
  void quotas_are_served_in_the_order_given_across_lanes() {
    for (int i = 0; i < 3; i++) {
      enqueue(newJob().lane("background"));
      enqueue(newJob().lane("cognition"));
      enqueue(newJob().lane("social"));
    }

    List<Job> claimed =
        claim(
            WORKER,
            quota("cognition", 2),
            quota("sensory", 5),
            quota("background", 3),
            quota("social", 1));

    assertThat(claimed)
        .extracting(Job::lane)
        .containsExactly(
            "cognition", "cognition", "background", "background", "background", "social");
  }

  @Test
  void a_claim_takes_nothing_from_lanes_it_does_not_name() {
    enqueue(newJob().lane("cognition"));
    enqueue(newJob().lane("social"));

    assertThat(claim(WORKER, quota("background", 10), quota("sensory", 10))).isEmpty();
    assertThat(store().countByState().get(JobState.READY)).isEqualTo(2L);
  }

  @Test
  void the_lane_cap_counts_jobs_already_running_for_any_worker() {
    for (int i = 0; i < 4; i++) {
      enqueue(newJob().lane("cognition"));
    }
    assertThat(claim("worker-a", quota("cognition", 1))).hasSize(1);

    List<Job> second = claim("worker-b", quota("cognition", 5, 2));

    assertThat(second).as("a cap of 2 with 1 running leaves room for 1").hasSize(1);
    assertThat(claim("worker-c", quota("cognition", 5, 2))).as("the lane is at its cap").isEmpty();
    assertThat(claim("worker-c", quota("cognition", 5, 3))).hasSize(1);
    assertThat(store().countByState().get(JobState.RUNNING)).isEqualTo(3L);
  }

  @Test
  void the_lane_cap_limits_a_single_claim() {
    for (int i = 0; i < 10; i++) {
      enqueue(newJob().lane("social"));
    }

    assertThat(claim(WORKER, quota("social", 10, 3))).hasSize(3);
  }

  @Test
  void the_lane_cap_of_one_lane_does_not_limit_another() {
    enqueue(newJob().lane("cognition"));
    enqueue(newJob().lane("social"));
    enqueue(newJob().lane("social"));
    claim("cognition", 1);

    List<Job> claimed = claim(WORKER, quota("cognition", 5, 1), quota("social", 5, 2));

    assertThat(claimed).extracting(Job::lane).containsExactly("social", "social");
  }

  @Test
  void the_types_filter_claims_only_jobs_of_those_types() {
    Job a = enqueue(newJob().type("a"));
    Job b = enqueue(newJob().type("b"));
    Job c = enqueue(newJob().type("c"));

    List<Job> claimed =
        store()
            .claim(
                new ClaimRequest(
                    WORKER, List.of(quota("background", 10)), Set.of("a", "c"), LEASE, now()));

    assertThat(claimed).extracting(Job::id).containsExactlyInAnyOrder(a.id(), c.id());
    assertThat(get(b.id()).state()).isEqualTo(JobState.READY);
  }

  @Test
  void only_ready_jobs_are_claimed() {
    Map<JobState, Job> byState = new EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      byState.put(state, jobIn(state, newJob().type("t-" + state.wireName())));
    }

    assertThat(claim("background", 10))
        .extracting(Job::id)
        .containsExactly(byState.get(JobState.READY).id());
  }

  @Test
  void a_claim_makes_the_job_running_with_its_attempt_start_and_lease() {
    NewJob job =
        newJob()
            .type("summarise")
            .lane("social")
            .payloadJson("{\"x\":1}")
            .correlationId("c-1")
            .build();
    enqueue(job);
    advance(Duration.ofSeconds(3));

    Job claimed =
        store()
            .claim(
                new ClaimRequest(
                    "worker-7",
                    List.of(quota("social", 1)),
                    Set.of(),
                    Duration.ofSeconds(45),
                    now()))
            .get(0);

    assertThat(claimed.id()).isEqualTo(job.id());
    assertThat(claimed.state()).isEqualTo(JobState.RUNNING);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.startedAt()).isEqualTo(now());
    assertThat(claimed.leaseOwner()).isEqualTo("worker-7");
    assertThat(claimed.leaseToken()).isNotBlank();
    assertThat(claimed.leaseExpiresAt()).isEqualTo(now().plusSeconds(45));
    assertThat(claimed.cancelRequested()).isFalse();
    assertThat(claimed.type()).isEqualTo("summarise");
    assertSameJson(claimed.payloadJson(), "{\"x\":1}");
    assertThat(claimed.correlationId()).isEqualTo("c-1");
    assertThat(claimed.timeout()).isEqualTo(job.timeout());
    assertThat(claimed.maxAttempts()).isEqualTo(job.maxAttempts());

    Job stored = get(job.id());
    assertThat(stored.state()).isEqualTo(JobState.RUNNING);
    assertThat(stored.attempt()).isEqualTo(1);
    assertThat(stored.startedAt()).isEqualTo(now());
    assertThat(stored.leaseOwner()).isEqualTo("worker-7");
    assertThat(stored.leaseExpiresAt()).isEqualTo(now().plusSeconds(45));
  }

  @Test
  void a_claim_whose_clock_was_read_before_the_job_was_enqueued_starts_it_no_earlier_than_its_run_at() {
    Instant claimClock = now();
    advance(Duration.ofMillis(5));
    NewJob job = newJob().lane("social").build();
    enqueue(job);

    Job claimed =
        store()
            .claim(new ClaimRequest("worker-7", List.of(quota("social", 1)), Set.of(), Duration.ofSeconds(45), claimClock))
            .get(0);

    assertThat(claimed.startedAt()).isEqualTo(job.runAt());
    assertThat(get(job.id()).startedAt()).isEqualTo(job.runAt());
  }

  @Test
  void every_claim_gets_its_own_lease_token() {
    for (int i = 0; i < 20; i++) {
      enqueue(newJob());
    }
    List<Job> claimed = new ArrayList<>(claim("background", 10));
    claimed.addAll(claim("other-worker", quota("background", 10)));

    assertThat(claimed).hasSize(20);
    assertThat(claimed).extracting(Job::leaseToken).doesNotContainNull().doesNotHaveDuplicates();
  }

  @Test
  void a_job_claimed_again_gets_a_new_token_its_next_attempt_and_no_old_progress() {
    Job first = claimJob(enqueue(newJob()), "worker-a");
    store().heartbeat(first.id(), first.leaseToken(), now().plusSeconds(60), 0.5, "half");
    finish(first, AttemptOutcome.LEASE_EXPIRED, JobState.READY, null, null, null);
    advance(Duration.ofSeconds(1));

    Job second = claimJob(get(first.id()), "worker-b");

    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.leaseToken()).isNotBlank().isNotEqualTo(first.leaseToken());
    assertThat(second.leaseOwner()).isEqualTo("worker-b");
    assertThat(second.startedAt()).isEqualTo(now());
    assertThat(second.progress()).isNull();
    assertThat(get(first.id()).progress()).isNull();
  }

  @Test
  void racing_claimers_never_get_the_same_job_and_miss_none() throws Exception {
    int jobs = 2_000;
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      batch.add(newJob().lane(i % 2 == 0 ? "cognition" : "background").build());
      if (batch.size() == 500) {
        store().enqueue(batch);
        batch.clear();
      }
    }

    List<List<String>> perThread =
        inParallel(
            4,
            thread -> {
              List<String> mine = new ArrayList<>();
              while (true) {
                List<Job> got =
                    claim("worker-" + thread, quota("cognition", 7), quota("background", 5));
                if (got.isEmpty()) {
                  return mine;
                }
                got.forEach(j -> mine.add(j.id()));
              }
            });

    List<String> all = perThread.stream().flatMap(List::stream).toList();
    assertThat(all).doesNotHaveDuplicates().hasSize(jobs);
    assertThat(new HashSet<>(all)).hasSize(jobs);
    assertThat(store().countByState().get(JobState.RUNNING)).isEqualTo((long) jobs);
    assertThat(store().countByState().getOrDefault(JobState.READY, 0L)).isZero();
  }
}
