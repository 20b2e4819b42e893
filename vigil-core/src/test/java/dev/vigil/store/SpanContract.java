package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Job timelines: each finished attempt keeps when it became due ({@code readyAt}) and the spans
 * reported with its finish, written by {@code finish} and {@code finishAll} and returned by {@code
 * get}, attempt by attempt, in the order given.
 */
public abstract class SpanContract extends ContractSupport {

  protected SpanContract(JobStoreContract kit) {
    super(kit);
  }

  private JobSpan span(String name, Instant start, long micros, Map<String, String> attributes) {
    return new JobSpan(name, start, Duration.ofNanos(micros * 1_000), attributes);
  }

  private Finish success(Job running, List<JobSpan> spans) {
    return new Finish(
        running.id(), running.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null,
        "{}", now(), spans);
  }

  @Test
  void spans_given_with_a_finish_come_back_with_their_attempt_in_order_with_microseconds_and_attributes() {
    Job running = jobIn(JobState.RUNNING);
    Instant start = now();
    advance(Duration.ofMillis(250));
    var spans =
        List.of(
            span("llm_call", start, 180_250, Map.of("model", "sim-chat", "tokens_out", "42")),
            span("db_query", start.plusMillis(190), 731, Map.of()),
            span("llm_call", start.plusMillis(200), 40_000, null));

    Job answered = store().finish(success(running, spans));

    assertThat(answered.state()).isEqualTo(JobState.SUCCEEDED);
    Attempt attempt = get(running.id()).attempts().getFirst();
    assertThat(attempt.spans()).containsExactlyElementsOf(spans);
    assertThat(attempt.spans().get(1).duration()).isEqualTo(Duration.ofNanos(731_000));
  }

  @Test
  void an_attempt_remembers_when_it_became_due_even_after_a_retry_moves_the_job() {
    Instant due = now();
    Job job = enqueue(newJob().readyAt(due));
    advance(Duration.ofSeconds(3));
    Job first = claimJob(job);
    advance(Duration.ofSeconds(1));
    Instant retryAt = now().plusSeconds(30);
    finish(first, AttemptOutcome.FAILED, JobState.SCHEDULED, retryAt, JobError.of("Boom", "x"), null);
    advance(Duration.ofSeconds(31));
    store().promoteDue(now(), 10);
    advance(Duration.ofSeconds(2));
    Job second = claimJob(get(job.id()));
    advance(Duration.ofSeconds(1));
    succeed(second);

    assertThat(get(job.id()).attempts())
        .extracting(Attempt::attempt, Attempt::readyAt)
        .containsExactly(tuple(1, due), tuple(2, retryAt));
  }

  @Test
  void spans_of_each_attempt_stay_with_that_attempt() {
    Job job = enqueue(newJob());
    Job first = claimJob(job);
    Instant firstStart = now();
    advance(Duration.ofSeconds(1));
    store()
        .finish(
            new Finish(
                first.id(), first.leaseToken(), AttemptOutcome.FAILED, JobState.READY, null,
                JobError.of("Boom", "x"), null, now(),
                List.of(span("llm_call", firstStart, 900_000, Map.of("model", "a")))));
    Job second = claimJob(get(job.id()));
    Instant secondStart = now();
    advance(Duration.ofSeconds(1));
    store()
        .finish(
            success(
                second,
                List.of(span("db_query", secondStart, 1_000, null), span("llm_call", secondStart, 5_000, null))));

    List<Attempt> attempts = get(job.id()).attempts();
    assertThat(attempts.get(0).spans()).extracting(JobSpan::name).containsExactly("llm_call");
    assertThat(attempts.get(1).spans()).extracting(JobSpan::name).containsExactly("db_query", "llm_call");
  }

  @Test
  void an_attempt_without_spans_has_an_empty_list() {
    Job running = jobIn(JobState.RUNNING);
    advance(Duration.ofSeconds(1));

    succeed(running);

    assertThat(get(running.id()).attempts()).singleElement().extracting(Attempt::spans).asList().isEmpty();
  }

  @Test
  void finish_all_stores_the_spans_of_the_finishes_it_applies_and_none_of_the_stale_ones() {
    Job withSpans = jobIn(JobState.RUNNING);
    Job without = jobIn(JobState.RUNNING);
    Job stale = jobIn(JobState.RUNNING);
    Instant start = now();
    advance(Duration.ofMillis(500));
    var many = new ArrayList<JobSpan>();
    for (int i = 0; i < JobSpan.MAX_PER_ATTEMPT; i++) {
      many.add(span("step_" + (i % 7), start.plusMillis(i), 1_000 + i, Map.of("i", Integer.toString(i))));
    }

    Set<String> applied =
        store()
            .finishAll(
                List.of(
                    success(withSpans, many),
                    success(without, List.of()),
                    new Finish(
                        stale.id(), "not-the-token", AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null,
                        null, null, now(), List.of(span("llm_call", start, 10, null)))))
            .keySet();

    assertThat(applied).containsExactlyInAnyOrder(withSpans.id(), without.id());
    assertThat(get(withSpans.id()).attempts().getFirst().spans()).containsExactlyElementsOf(many);
    assertThat(get(without.id()).attempts().getFirst().spans()).isEmpty();
    assertThat(get(stale.id()).attempts()).isEmpty();
  }

  @Test
  void a_stale_finish_with_spans_stores_nothing() {
    Job running = jobIn(JobState.RUNNING);
    Job stale = running.toBuilder().leaseToken("not-the-token").build();

    assertThatThrownBy(() -> store().finish(success(stale, List.of(span("llm_call", now(), 10, null)))))
        .isInstanceOf(LeaseLostException.class);

    succeed(running);
    assertThat(get(running.id()).attempts().getFirst().spans()).isEmpty();
  }

  @Test
  void spans_survive_a_restart() {
    Job running = jobIn(JobState.RUNNING);
    Instant start = now();
    advance(Duration.ofSeconds(1));
    store().finish(success(running, List.of(span("llm_call", start, 123_456, Map.of("model", "m")))));

    kit().reopenStore();

    assertThat(get(running.id()).attempts().getFirst().spans())
        .containsExactly(span("llm_call", start, 123_456, Map.of("model", "m")));
  }
}
