package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fairness within a lane: jobs of different concurrency keys take turns (round robin by key), so
 * a key with a long backlog cannot keep another key's job waiting behind it; jobs without a key
 * keep their {@code run_at} order.
 */
public abstract class FairnessContract extends ContractSupport {
  private static final String LANE = "social";

  protected FairnessContract(JobStoreContract kit) {
    super(kit);
  }

  @Test
  void a_key_with_ten_thousand_ready_jobs_delays_another_keys_single_job_by_at_most_one_turn() {
    for (int batch = 0; batch < 20; batch++) {
      List<NewJob> heavy = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        heavy.add(newJob().lane(LANE).concurrencyKey("tenant:heavy").build());
      }
      store().enqueue(heavy);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(claim(LANE, 1)).singleElement().extracting(Job::concurrencyKey).isEqualTo("tenant:heavy");
    }

    Job light = enqueue(newJob().lane(LANE).concurrencyKey("tenant:light"));

    int heavyBefore = 0;
    while (true) {
      Job next = claim(LANE, 1).getFirst();
      if (next.id().equals(light.id())) {
        break;
      }
      heavyBefore++;
      assertThat(heavyBefore).as("heavy jobs started before the light tenant's one job").isLessThanOrEqualTo(1);
    }
    assertThat(claim(LANE, 1)).singleElement().extracting(Job::concurrencyKey).isEqualTo("tenant:heavy");
  }

  @Test
  void keys_take_turns_whatever_order_their_jobs_arrived_in() {
    List<Job> a = enqueueAll("tenant:a", 3);
    List<Job> b = enqueueAll("tenant:b", 3);
    List<Job> c = enqueueAll("tenant:c", 3);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      order.add(claim(LANE, 1).getFirst().id());
    }

    assertThat(order).containsExactly(
        a.get(0).id(), b.get(0).id(), c.get(0).id(),
        a.get(1).id(), b.get(1).id(), c.get(1).id(),
        a.get(2).id(), b.get(2).id(), c.get(2).id());
  }

  @Test
  void a_claim_of_several_jobs_takes_one_turn_of_each_key_before_the_next_turn() {
    enqueueAll("tenant:a", 5);
    enqueueAll("tenant:b", 5);
    enqueueAll("tenant:c", 1);

    List<Job> claimed = claim(LANE, 3);

    assertThat(claimed).extracting(Job::concurrencyKey).containsExactly("tenant:a", "tenant:b", "tenant:c");
  }

  @Test
  void jobs_without_a_key_keep_their_run_at_order_between_the_turns_of_a_busy_key() {
    List<Job> busy = enqueueAll("tenant:busy", 100);
    Job later = enqueue(newJob().lane(LANE).readyAt(now()));
    Job earlier = enqueue(newJob().lane(LANE).readyAt(now().minusSeconds(5)));

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(claim(LANE, 1).getFirst().id());
    }

    assertThat(order).containsExactly(earlier.id(), busy.get(0).id(), later.id(), busy.get(1).id());
  }

  @Test
  void a_job_that_arrives_mid_round_waits_for_the_keys_still_due_in_that_round() {
    List<Job> a = enqueueAll("tenant:a", 5);
    List<Job> b = enqueueAll("tenant:b", 5);
    assertThat(claim(LANE, 3)).extracting(Job::id).containsExactly(a.get(0).id(), b.get(0).id(), a.get(1).id());

    Job newcomer = enqueue(newJob().lane(LANE).concurrencyKey("tenant:new"));
    Job unkeyed = enqueue(newJob().lane(LANE));

    assertThat(claim(LANE, 4)).extracting(Job::id)
        .containsExactly(b.get(1).id(), newcomer.id(), unkeyed.id(), a.get(2).id());
  }

  private List<Job> enqueueAll(String key, int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(newJob().lane(LANE).concurrencyKey(key).build());
    }
    return store().enqueue(jobs);
  }
}
