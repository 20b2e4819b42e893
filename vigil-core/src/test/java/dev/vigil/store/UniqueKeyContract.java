package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unique keys: at most one scheduled, ready or running job per key, enforced by the store against
 * every concurrent writer, and every caller told which job holds the key.
 */
public abstract class UniqueKeyContract extends ContractSupport {

  protected UniqueKeyContract(JobStoreContract kit) {
    super(kit);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "READY", "RUNNING"})
  void a_key_held_by_an_active_job_answers_that_job_flagged_duplicate(JobState state) {
    Job holder = jobIn(state, newJob().type("first").payloadJson("{\"v\":1}").uniqueKey("k"));
    NewJob second = newJob().type("second").payloadJson("{\"v\":2}").uniqueKey("k").build();

    Job answered = enqueue(second);

    assertThat(answered.duplicate()).isTrue();
    assertThat(answered.id()).isEqualTo(holder.id());
    assertThat(answered.type()).isEqualTo("first");
    assertSameJson(answered.payloadJson(), "{\"v\":1}");
    assertThat(answered.state()).isEqualTo(state);
    assertThat(store().get(second.id())).as("the duplicate must not be stored").isEmpty();
    assertThat(store().find(JobQuery.all()).jobs())
        .extracting(Job::id)
        .containsExactly(holder.id());
    assertThat(get(holder.id()).duplicate()).as("a stored job is never flagged").isFalse();
  }

  @Test
  void a_job_waiting_for_its_retry_still_holds_its_key() {
    Job running = jobIn(JobState.RUNNING, newJob().uniqueKey("k"));
    finish(
        running,
        AttemptOutcome.FAILED,
        JobState.SCHEDULED,
        now().plusSeconds(30),
        JobError.of("Boom", "try again"),
        null);

    Job answered = enqueue(newJob().uniqueKey("k"));

    assertThat(answered.duplicate()).isTrue();
    assertThat(answered.id()).isEqualTo(running.id());
  }

  @Test
  void a_key_repeated_within_one_batch_answers_the_first_job_of_the_batch() {
    NewJob first = newJob().type("first").uniqueKey("k").build();
    NewJob other = newJob().type("other").uniqueKey("other-key").build();
    NewJob repeat = newJob().type("repeat").uniqueKey("k").build();

    List<Job> answered = store().enqueue(List.of(first, other, repeat));

    assertThat(answered).hasSize(3);
    assertThat(answered.get(0).id()).isEqualTo(first.id());
    assertThat(answered.get(0).duplicate()).isFalse();
    assertThat(answered.get(1).id()).isEqualTo(other.id());
    assertThat(answered.get(1).duplicate()).isFalse();
    assertThat(answered.get(2).id()).isEqualTo(first.id());
    assertThat(answered.get(2).type()).isEqualTo("first");
    assertThat(answered.get(2).duplicate()).isTrue();
    assertThat(store().get(repeat.id())).isEmpty();
  }

  @Test
  void a_large_batch_answers_in_order_and_each_repeated_key_points_at_its_first_job() {
    List<NewJob> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      batch.add(newJob().type("t" + i).uniqueKey(i % 50 == 49 ? null : "key-" + (i % 50)).build());
    }

    List<Job> answered = store().enqueue(batch);

    assertThat(answered).hasSize(150);
    for (int i = 0; i < 150; i++) {
      boolean keyed = i % 50 != 49;
      int first = keyed ? i % 50 : i;
      assertThat(answered.get(i).id()).as("answer %d", i).isEqualTo(batch.get(first).id());
      assertThat(answered.get(i).duplicate()).as("answer %d", i).isEqualTo(i != first);
    }
    assertThat(store().countByState().get(JobState.READY)).as("49 keys, 3 jobs without").isEqualTo(49 + 3);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JobState.class,
      names = {"SUCCEEDED", "DEAD", "CANCELLED"})
  void once_the_keys_job_has_ended_a_new_job_takes_the_key(JobState terminal) {
    Job old = jobIn(terminal, newJob().uniqueKey("k"));
    NewJob next = newJob().uniqueKey("k").build();

    Job answered = enqueue(next);

    assertThat(answered.duplicate()).isFalse();
    assertThat(answered.id()).isEqualTo(next.id());
    assertThat(get(next.id()).state()).isEqualTo(JobState.READY);
    assertThat(get(old.id()).state()).isEqualTo(terminal);
    Job third = enqueue(newJob().uniqueKey("k"));
    assertThat(third.duplicate()).isTrue();
    assertThat(third.id()).as("the new job now holds the key").isEqualTo(next.id());
  }

  @Test
  void different_keys_and_jobs_without_a_key_never_collide() {
    List<Job> answered =
        store()
            .enqueue(
                List.of(
                    newJob().uniqueKey("a").build(),
                    newJob().uniqueKey("b").build(),
                    newJob().uniqueKey("A").build(),
                    newJob().build(),
                    newJob().build()));

    assertThat(answered).noneMatch(Job::duplicate);
    assertThat(store().find(JobQuery.all()).jobs()).hasSize(5);
  }

  /** One enqueue's question and answer, as one thread of the race saw it. */
  private record Told(String key, String submittedId, String answeredId, boolean duplicate) {}

  /**
   * 8 threads each enqueue 10,000 jobs whose keys are drawn from 500. Most go in batches of 50 (a
   * single-job enqueue per call would make this test slow on a group-committing store); one call in
   * 20 rounds is 50 single-job enqueues, so single calls race with batches too. Random draws make
   * most batches repeat a key within themselves.
   */
  @Test
  void racing_enqueues_with_colliding_keys_create_one_job_per_key_and_tell_every_caller_the_truth()
      throws Exception {
    int threads = 8;
    int keys = 500;
    int rounds = 200;
    int perRound = 50;

    List<List<Told>> perThread =
        inParallel(
            threads,
            thread -> {
              Random random = new Random(thread);
              List<Told> told = new ArrayList<>(rounds * perRound);
              for (int round = 0; round < rounds; round++) {
                List<NewJob> batch = new ArrayList<>(perRound);
                for (int i = 0; i < perRound; i++) {
                  batch.add(
                      newJob().type("collide").uniqueKey("key-" + random.nextInt(keys)).build());
                }
                List<Job> answers = new ArrayList<>(perRound);
                if (round % 20 == 19) {
                  for (NewJob job : batch) {
                    answers.addAll(store().enqueue(List.of(job)));
                  }
                } else {
                  answers.addAll(store().enqueue(batch));
                }
                if (answers.size() != batch.size()) {
                  throw new AssertionError("expected one answer per job, got " + answers.size());
                }
                for (int i = 0; i < perRound; i++) {
                  Job answer = answers.get(i);
                  told.add(
                      new Told(
                          batch.get(i).uniqueKey(),
                          batch.get(i).id(),
                          answer.id(),
                          answer.duplicate()));
                }
              }
              return told;
            });

    Map<String, String> winnerByKey = new HashMap<>();
    List<Told> all = perThread.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(threads * rounds * perRound);
    for (Told t : all) {
      if (!t.duplicate()) {
        assertThat(t.answeredId())
            .as("an inserted job is the one submitted")
            .isEqualTo(t.submittedId());
        String earlier = winnerByKey.put(t.key(), t.answeredId());
        assertThat(earlier)
            .as("two callers were told they created the job for %s", t.key())
            .isNull();
      }
    }
    assertThat(winnerByKey).as("every key was created once").hasSize(keys);
    for (Told t : all) {
      if (t.duplicate()) {
        assertThat(t.answeredId())
            .as("a duplicate answer for %s names the job that holds the key", t.key())
            .isEqualTo(winnerByKey.get(t.key()));
      }
    }

    List<Job> stored = findAll();
    assertThat(stored).hasSize(keys);
    Set<String> storedKeys = new HashSet<>();
    for (Job job : stored) {
      assertThat(storedKeys.add(job.uniqueKey())).as("one job for %s", job.uniqueKey()).isTrue();
      assertThat(job.id()).isEqualTo(winnerByKey.get(job.uniqueKey()));
      assertThat(job.state()).isEqualTo(JobState.READY);
    }
    assertThat(store().countByState().get(JobState.READY)).isEqualTo((long) keys);
  }

  private List<Job> findAll() {
    List<Job> all = new ArrayList<>();
    JobQuery query = JobQuery.all().withLimit(JobQuery.MAX_LIMIT);
    String cursor = null;
    do {
      var page = store().find(query.withCursor(cursor));
      all.addAll(page.jobs());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }
}
