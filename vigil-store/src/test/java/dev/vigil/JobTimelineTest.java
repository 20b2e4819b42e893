package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.job.Attempt;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import dev.vigil.job.Span;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Job timelines, log context and redaction through the engine: spans a handler times are stored
 * with its attempt, the MDC names the job while its handler runs, each attempt's end is one log
 * line, and the redactor sees every error before it is stored.
 */
class JobTimelineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Stands in for a real redactor: masks the word "secret". */
  private static final UnaryOperator<String> MASK = s -> s.replace("secret", "[redacted]");

  @TempDir Path dir;
  private Vigil vigil;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger attemptLog = (Logger) LoggerFactory.getLogger(AttemptLog.class);

  @BeforeEach
  void captureAttemptLog() {
    logs.start();
    attemptLog.addAppender(logs);
    attemptLog.setLevel(Level.DEBUG);
  }

  @AfterEach
  void close() {
    if (vigil != null) {
      vigil.close();
    }
    attemptLog.detachAppender(logs);
    attemptLog.setLevel(null);
  }

  private Vigil.Builder engine() {
    return Vigil.builder()
        .store(SqliteJobStore.open(dir.resolve("vigil.db")))
        .shutdownGrace(Duration.ofSeconds(5))
        .redactor(MASK);
  }

  private Job awaitState(String id, JobState state) {
    await().atMost(WAIT).until(() -> vigil.get(id).orElseThrow().state() == state);
    return vigil.get(id).orElseThrow();
  }

  @Test
  void spans_a_handler_closes_are_stored_with_its_attempt_in_the_order_they_ended() {
    vigil =
        engine()
            .handler("reply", ctx -> {
              try (Span outer = ctx.span("llm_call")) {
                outer.attribute("model", "sim-chat").attribute("tokens_out", 42);
                try (Span inner = ctx.span("db_query")) {
                  inner.attribute("table", "memories");
                }
              }
              ctx.span("never_closed");
            })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("reply").lane("cognition").build());

    Attempt attempt = awaitState(job.id(), JobState.SUCCEEDED).attempts().getFirst();
    assertThat(attempt.spans()).extracting(JobSpan::name).containsExactly("db_query", "llm_call");
    JobSpan llm = attempt.spans().get(1);
    assertThat(llm.attributes()).containsOnly(Map.entry("model", "sim-chat"), Map.entry("tokens_out", "42"));
    assertThat(llm.start()).isBetween(attempt.startedAt(), attempt.finishedAt());
    assertThat(attempt.spans().get(0).duration()).isLessThanOrEqualTo(llm.duration());
    assertThat(attempt.readyAt()).isNotNull().isBeforeOrEqualTo(attempt.startedAt());
  }

  @Test
  void with_a_meter_registry_queue_wait_run_and_span_names_are_phases_of_the_job_type() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    vigil =
        engine()
            .meterRegistry(registry)
            .handler("reply", ctx -> {
              try (Span span = ctx.span("llm_call")) {
                span.attribute("model", "sim");
              }
            })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("reply").lane("cognition").build());

    awaitState(job.id(), JobState.SUCCEEDED);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(
                registry.find("vigil.job.phase").tags("lane", "cognition", "type", "reply").timers())
            .extracting(t -> t.getId().getTag("phase"))
            .containsExactlyInAnyOrder("queue_wait", "llm_call", "run"));
  }

  @Test
  void an_attempt_that_times_nothing_stores_no_spans() {
    vigil = engine().handler("quiet", ctx -> ctx.result("ok")).start();

    Job job = vigil.enqueue(JobRequest.builder("quiet").build());

    assertThat(awaitState(job.id(), JobState.SUCCEEDED).attempts().getFirst().spans()).isEmpty();
  }

  @Test
  void span_names_and_attributes_are_bounded_and_attribute_values_redacted() {
    var refused = new ConcurrentHashMap<String, Throwable>();
    vigil =
        engine()
            .handler("bounded", ctx -> {
              try {
                ctx.span("has spaces");
              } catch (IllegalArgumentException e) {
                refused.put("name", e);
              }
              try (Span span = ctx.span("llm_call")) {
                for (int i = 0; i < JobSpan.MAX_ATTRIBUTES + 5; i++) {
                  span.attribute("k" + i, "v");
                }
                span.attribute("k0", "the secret prompt " + "x".repeat(500));
              }
              for (int i = 0; i < JobSpan.MAX_PER_ATTEMPT + 10; i++) {
                ctx.span("step").close();
              }
            })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("bounded").build());

    List<JobSpan> spans = awaitState(job.id(), JobState.SUCCEEDED).attempts().getFirst().spans();
    assertThat(refused).containsKey("name");
    assertThat(spans).hasSize(JobSpan.MAX_PER_ATTEMPT);
    Map<String, String> attributes = spans.getFirst().attributes();
    assertThat(attributes).hasSize(JobSpan.MAX_ATTRIBUTES);
    assertThat(attributes.get("k0")).startsWith("the [redacted] prompt").hasSize(JobSpan.MAX_VALUE);
  }

  @Test
  void span_attributes_reach_the_redactor_as_one_json_object_so_sensitive_keys_are_masked_whole() {
    UnaryOperator<String> promptMasker = s -> s.replaceAll("\"prompt\":\"[^\"]*\"", "\"prompt\":\"[redacted]\"");
    vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .redactor(promptMasker)
            .handler("reply", ctx -> {
              try (Span span = ctx.span("llm_call")) {
                span.attribute("prompt", "I feel anxious").attribute("model", "sim");
              }
            })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("reply").build());

    assertThat(awaitState(job.id(), JobState.SUCCEEDED).attempts().getFirst().spans().getFirst().attributes())
        .containsEntry("prompt", "[redacted]")
        .containsEntry("model", "sim");
  }

  @Test
  void a_remote_worker_reports_its_spans_with_its_completion() throws Exception {
    vigil = engine().start();
    Job job = vigil.enqueue(JobRequest.builder("summarise").build());
    Job claimed =
        vigil.claim(new WorkerClaim("py-1", List.of(), Set.of(), 1, Duration.ZERO, Duration.ofSeconds(30))).getFirst();
    Instant start = Instant.now();

    vigil.complete(
        claimed.id(),
        claimed.leaseToken(),
        "{}",
        List.of(new JobSpan("llm_call", start, Duration.ofMillis(120), Map.of("prompt", "a secret"))));

    assertThat(vigil.get(job.id()).orElseThrow().attempts().getFirst().spans())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.name()).isEqualTo("llm_call");
          assertThat(s.duration()).isEqualTo(Duration.ofMillis(120));
          assertThat(s.attributes()).containsEntry("prompt", "a [redacted]");
        });
  }

  @Test
  void errors_are_redacted_before_they_are_stored_for_in_process_and_remote_failures() throws Exception {
    vigil =
        engine()
            .handler("leaky", ctx -> {
              throw new IllegalStateException("the secret is out");
            })
            .start();
    Job local = vigil.enqueue(JobRequest.builder("leaky").maxAttempts(1).build());
    Job remote = vigil.enqueue(JobRequest.builder("remote_only").maxAttempts(1).build());
    Job claimed =
        vigil.claim(new WorkerClaim("py-1", List.of(), Set.of("remote_only"), 1, Duration.ZERO, Duration.ofSeconds(30)))
            .getFirst();

    vigil.fail(claimed.id(), claimed.leaseToken(), new JobError("Boom", "secret token", "at secret.place"), true);

    Job dead = awaitState(local.id(), JobState.DEAD);
    assertThat(dead.lastError().message()).isEqualTo("the [redacted] is out");
    assertThat(dead.lastError().stack()).doesNotContain("secret").contains("[redacted]");
    assertThat(dead.attempts().getFirst().error().message()).isEqualTo("the [redacted] is out");
    Job failed = vigil.get(remote.id()).orElseThrow();
    assertThat(failed.lastError()).isEqualTo(new JobError("Boom", "[redacted] token", "at [redacted].place"));
  }

  @Test
  void progress_messages_are_redacted_before_they_are_stored() throws Exception {
    vigil = engine().start();
    vigil.enqueue(JobRequest.builder("summarise").build());
    Job claimed =
        vigil.claim(new WorkerClaim("py-1", List.of(), Set.of(), 1, Duration.ZERO, Duration.ofSeconds(30))).getFirst();

    vigil.heartbeat(claimed.id(), claimed.leaseToken(), 0.5, "reading the secret diary", null);

    assertThat(vigil.get(claimed.id()).orElseThrow().progressMessage()).isEqualTo("reading the [redacted] diary");
  }

  @Test
  void the_mdc_names_the_job_while_its_handler_runs_and_is_clear_after() {
    var seen = new ConcurrentHashMap<String, String>();
    var after = new ConcurrentHashMap<String, Boolean>();
    vigil =
        engine()
            .handler("traced", ctx -> {
              seen.putAll(MDC.getCopyOfContextMap());
              ctx.enqueueChild(JobRequest.builder("child").build());
            })
            .handler("child", ctx -> after.put("child_has_parent_correlation", ctx.correlationId().equals("req-1")))
            .start();

    Job job = vigil.enqueue(JobRequest.builder("traced").lane("social").correlationId("req-1").build());

    awaitState(job.id(), JobState.SUCCEEDED);
    assertThat(seen)
        .containsEntry("job_id", job.id())
        .containsEntry("lane", "social")
        .containsEntry("type", "traced")
        .containsEntry("attempt", "1")
        .containsEntry("correlation_id", "req-1");
    await().atMost(WAIT).until(() -> after.containsKey("child_has_parent_correlation"));
    assertThat(after).containsEntry("child_has_parent_correlation", true);
  }

  @Test
  void each_attempt_end_is_one_log_line_with_the_job_context_and_its_duration_but_no_payload() {
    vigil =
        engine()
            .handler("flaky", ctx -> {
              if (ctx.attempt() == 1) {
                throw new IllegalStateException("provider said secret");
              }
            })
            .retryPolicy(new dev.vigil.job.RetryPolicy(2, Duration.ZERO, Duration.ZERO))
            .start();

    Job job =
        vigil.enqueue(
            JobRequest.builder("flaky").correlationId("req-9").payload(Map.of("text", "payload-words")).build());

    awaitState(job.id(), JobState.SUCCEEDED);
    await().atMost(WAIT).until(() -> lines(job.id()).size() == 2);
    List<ILoggingEvent> lines = lines(job.id());
    ILoggingEvent failed = lines.get(0);
    assertThat(failed.getLevel()).isEqualTo(Level.INFO);
    assertThat(failed.getFormattedMessage())
        .startsWith("attempt 1 of flaky failed in ")
        .contains("IllegalStateException: provider said [redacted]");
    assertThat(failed.getMDCPropertyMap())
        .containsEntry("attempt", "1")
        .containsEntry("type", "flaky")
        .containsEntry("correlation_id", "req-9")
        .containsKey("duration_ms");
    ILoggingEvent succeeded = lines.get(1);
    assertThat(succeeded.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(succeeded.getFormattedMessage()).startsWith("attempt 2 of flaky succeeded in ");
    assertThat(succeeded.getMDCPropertyMap()).containsEntry("attempt", "2");
    assertThat(lines).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("payload-words"));
  }

  private List<ILoggingEvent> lines(String jobId) {
    return logs.list.stream().filter(e -> jobId.equals(e.getMDCPropertyMap().get("job_id"))).toList();
  }
}
