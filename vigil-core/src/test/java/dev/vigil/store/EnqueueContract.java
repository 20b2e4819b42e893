package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.Job;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Enqueue: what goes in comes back, batches are all or none, due jobs are ready. */
public abstract class EnqueueContract extends ContractSupport {

  protected EnqueueContract(JobStoreContract kit) {
    super(kit);
  }

  /** Asserts that {@code job} is {@code expected} as freshly stored: no attempt, no lease. */
  static void assertFreshlyStored(Job job, NewJob expected) {
    assertThat(job.id()).isEqualTo(expected.id());
    assertThat(job.type()).isEqualTo(expected.type());
    assertThat(job.lane()).isEqualTo(expected.lane());
    assertThat(job.state()).isEqualTo(expected.state());
    assertSameJson(job.payloadJson(), expected.payloadJson());
    assertThat(job.runAt()).isEqualTo(expected.runAt());
    assertThat(job.maxAttempts()).isEqualTo(expected.maxAttempts());
    assertThat(job.timeout()).isEqualTo(expected.timeout());
    assertThat(job.uniqueKey()).isEqualTo(expected.uniqueKey());
    assertThat(job.correlationId()).isEqualTo(expected.correlationId());
    assertThat(job.parentId()).isEqualTo(expected.parentId());
    assertThat(job.tags()).isEqualTo(expected.tags());
    assertThat(job.createdAt()).isEqualTo(expected.createdAt());
    assertThat(job.attempt()).isZero();
    assertThat(job.startedAt()).isNull();
    assertThat(job.finishedAt()).isNull();
    assertThat(job.progress()).isNull();
    assertThat(job.progressMessage()).isNull();
    assertThat(job.lastError()).isNull();
    assertThat(job.resultJson()).isNull();
    assertThat(job.cancelRequested()).isFalse();
    assertThat(job.leaseOwner()).isNull();
    assertThat(job.leaseToken()).isNull();
    assertThat(job.leaseExpiresAt()).isNull();
    assertThat(job.attempts()).isEmpty();
    assertThat(job.duplicate()).isFalse();
  }

  @Test
  void every_field_round_trips_through_enqueue_and_get() {
    String parent = enqueue(newJob()).id();
    NewJob job =
        newJob()
            .type("generate_reply")
            .lane("cognition")
            .payloadJson(
                "{\"post_id\":\"p1\",\"text\":\"h\u00e9llo \u2713 \u65e5\u672c \\\"q\\\"\","
                    + "\"n\":[1,2.5,-3],\"nested\":{\"ok\":true,\"none\":null}}")
            .readyAt(now().minusMillis(1_234))
            .maxAttempts(7)
            .timeout(Duration.ofMillis(15_250))
            .uniqueKey("reply:p1:persona2")
            .correlationId("c-123")
            .parentId(parent)
            .tags("chat", "vip", "chat-2")
            .createdAt(now().minusMillis(5))
            .build();

    Job answered = enqueue(job);

    assertFreshlyStored(answered, job);
    assertFreshlyStored(get(job.id()), job);
  }

  @Test
  void optional_fields_left_empty_come_back_empty() {
    NewJob job = newJob().payloadJson("null").build();

    enqueue(job);

    Job stored = get(job.id());
    assertFreshlyStored(stored, job);
    assertThat(stored.uniqueKey()).isNull();
    assertThat(stored.correlationId()).isNull();
    assertThat(stored.parentId()).isNull();
    assertThat(stored.tags()).isEmpty();
  }

  @Test
  void a_payload_of_any_json_shape_round_trips() {
    List<String> payloads =
        List.of(
            "[]",
            "[1,\"two\",{\"three\":3}]",
            "\"just text\"",
            "42",
            "true",
            "{\"a\":{\"b\":{\"c\":[]}}}");
    for (String payload : payloads) {
      NewJob job = newJob().payloadJson(payload).build();
      enqueue(job);
      assertSameJson(get(job.id()).payloadJson(), payload);
    }
  }

  @Test
  void a_batch_answers_one_job_per_input_in_input_order() {
    List<NewJob> batch =
        List.of(
            newJob().type("a").build(),
            newJob().type("b").lane("cognition").build(),
            newJob().type("c").scheduledAt(now().plusSeconds(60)).build());

    List<Job> answered = store().enqueue(batch);

    assertThat(answered).hasSize(3);
    for (int i = 0; i < batch.size(); i++) {
      assertFreshlyStored(answered.get(i), batch.get(i));
      assertFreshlyStored(get(batch.get(i).id()), batch.get(i));
    }
  }

  @Test
  void an_empty_batch_stores_nothing_and_answers_nothing() {
    assertThat(store().enqueue(List.of())).isEmpty();
    assertThat(store().find(JobQuery.all()).jobs()).isEmpty();
  }

  @Test
  void a_batch_whose_insert_fails_stores_none_of_its_jobs() {
    NewJob first = newJob().type("first").uniqueKey("k-first").build();
    NewJob second = newJob().type("second").lane("cognition").build();
    NewJob sameIdAsFirst = newJob().id(first.id()).type("clash").build();

    assertThatThrownBy(() -> store().enqueue(List.of(first, second, sameIdAsFirst)))
        .as("a batch holding the same id twice must fail")
        .isInstanceOf(RuntimeException.class);

    assertThat(store().get(first.id())).isEmpty();
    assertThat(store().get(second.id())).isEmpty();
    assertThat(store().find(JobQuery.all()).jobs()).isEmpty();
    assertThat(store().laneDepths()).isEmpty();
    Job again = enqueue(newJob().uniqueKey("k-first"));
    assertThat(again.duplicate())
        .as("the failed batch must not have taken the unique key")
        .isFalse();
  }

  @Test
  void a_batch_clashing_with_a_stored_id_stores_nothing_and_leaves_the_stored_job_alone() {
    NewJob stored = newJob().type("original").payloadJson("{\"v\":1}").build();
    enqueue(stored);
    Job before = get(stored.id());
    NewJob fresh = newJob().type("fresh").build();
    NewJob clash = newJob().id(stored.id()).type("clash").payloadJson("{\"v\":2}").build();

    assertThatThrownBy(() -> store().enqueue(List.of(fresh, clash)))
        .isInstanceOf(RuntimeException.class);

    assertThat(store().get(fresh.id())).isEmpty();
    assertThat(get(stored.id())).isEqualTo(before);
  }

  /**
   * A store that group-commits may put calls arriving together into one transaction; a batch that
   * fails must still fail alone, and the batches committed beside it must succeed.
   */
  @Test
  void a_failing_batch_fails_alone_when_other_batches_are_enqueued_at_the_same_time()
      throws Exception {
    int rounds = 25;
    List<List<String>> perThread =
        inParallel(
            4,
            thread -> {
              List<String> ids = new ArrayList<>();
              for (int round = 0; round < rounds; round++) {
                List<NewJob> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                  batch.add(newJob().type("t" + thread).build());
                }
                batch.forEach(j -> ids.add(j.id()));
                if (thread % 2 == 0) {
                  List<Job> answered = store().enqueue(batch);
                  if (answered.size() != batch.size()
                      || answered.stream().anyMatch(Job::duplicate)) {
                    throw new AssertionError("a good batch was not stored whole: " + answered);
                  }
                } else {
                  batch.add(newJob().id(batch.get(0).id()).type("clash").build());
                  try {
                    store().enqueue(batch);
                    throw new AssertionError("a batch holding the same id twice was accepted");
                  } catch (RuntimeException expected) {
                    // the whole batch is refused; checked below
                  }
                }
              }
              return ids;
            });

    for (int thread = 0; thread < perThread.size(); thread++) {
      for (String id : perThread.get(thread)) {
        if (thread % 2 == 0) {
          assertThat(store().get(id)).as("job %s of a good batch", id).isPresent();
        } else {
          assertThat(store().get(id)).as("job %s of a failed batch", id).isEmpty();
        }
      }
    }
    assertThat(store().countByState().get(JobState.READY)).isEqualTo(2L * rounds * 10);
  }

  @Test
  void a_job_due_later_is_scheduled_and_is_not_claimed_while_a_due_one_is() {
    Instant later = now().plusSeconds(60);
    NewJob scheduled = newJob().scheduledAt(later).build();
    NewJob ready = newJob().build();

    store().enqueue(List.of(scheduled, ready));

    assertThat(get(scheduled.id()).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(get(scheduled.id()).runAt()).isEqualTo(later);
    assertThat(get(ready.id()).state()).isEqualTo(JobState.READY);
    assertThat(claim("background", 10)).extracting(Job::id).containsExactly(ready.id());
    assertThat(get(scheduled.id()).state()).isEqualTo(JobState.SCHEDULED);
  }

  @Test
  void a_scheduled_job_whose_time_has_come_is_still_not_claimed_until_promoted() {
    NewJob scheduled = newJob().scheduledAt(now().plusSeconds(5)).build();
    enqueue(scheduled);
    advance(Duration.ofSeconds(10));

    assertThat(claim("background", 10)).isEmpty();
    assertThat(get(scheduled.id()).state()).isEqualTo(JobState.SCHEDULED);
  }

  @Test
  void get_of_an_unknown_id_is_empty() {
    enqueue(newJob());
    assertThat(store().get(nextId())).isEmpty();
  }
}
