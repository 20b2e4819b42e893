package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.store.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobFactoryTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final int PAYLOAD_LIMIT = 64;

  private final ManualClock clock = new ManualClock(NOW);
  private final JobFactory factory = new JobFactory(config(clock), new Ids(clock));

  static EngineConfig config(ManualClock clock) {
    return new EngineConfig(
        Lane.DEFAULTS,
        4,
        Map.of(),
        RetryPolicy.DEFAULT,
        Map.of("summarise", new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(1))),
        Duration.ofSeconds(15),
        Map.of("transcribe", Duration.ofMinutes(5)),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        PAYLOAD_LIMIT,
        clock,
        "test-node",
        JsonMapper.builder().addModule(new JavaTimeModule()).build(),
        Duration.ofMillis(100));
  }

  // ---- accepted requests

  @Test
  void a_request_with_only_a_type_gets_the_engine_defaults() {
    NewJob job = factory.create(JobRequest.builder("send_digest").build());

    assertThat(job.type()).isEqualTo("send_digest");
    assertThat(job.lane()).isEqualTo("background");
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(job.state()).isEqualTo(JobState.READY);
    assertThat(job.runAt()).isEqualTo(NOW);
    assertThat(job.createdAt()).isEqualTo(NOW);
    assertThat(job.payloadJson()).isEqualTo("null");
    assertThat(job.uniqueKey()).isNull();
    assertThat(job.correlationId()).isNull();
    assertThat(job.parentId()).isNull();
    assertThat(job.tags()).isEmpty();
    assertThat(job.id()).matches(IdsTest.UUID_V7);
    assertThat(IdsTest.millisOf(job.id())).isEqualTo(NOW.toEpochMilli());
  }

  @Test
  void ids_follow_creation_order() {
    String first = factory.create(JobRequest.builder("a").build()).id();
    String second = factory.create(JobRequest.builder("a").build()).id();
    clock.advance(Duration.ofMillis(1));
    String third = factory.create(JobRequest.builder("a").build()).id();

    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(third);
  }

  @Test
  void per_type_retry_policy_and_timeout_replace_the_defaults() {
    assertThat(factory.create(JobRequest.builder("summarise").build()).maxAttempts()).isEqualTo(5);
    assertThat(factory.create(JobRequest.builder("transcribe").build()).timeout())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void the_request_own_values_win_over_every_default() {
    NewJob job =
        factory.create(
            JobRequest.builder("generate_reply")
                .lane("cognition")
                .payload(Map.of("post_id", "p1"))
                .maxAttempts(7)
                .timeout(Duration.ofSeconds(2))
                .uniqueKey("reply:p1")
                .correlationId("c-123")
                .parentId("parent-1")
                .tags(List.of("chat", "persona2"))
                .build());

    assertThat(job.lane()).isEqualTo("cognition");
    assertThat(job.payloadJson()).isEqualTo("{\"post_id\":\"p1\"}");
    assertThat(job.maxAttempts()).isEqualTo(7);
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(job.uniqueKey()).isEqualTo("reply:p1");
    assertThat(job.correlationId()).isEqualTo("c-123");
    assertThat(job.parentId()).isEqualTo("parent-1");
    assertThat(job.tags()).containsExactly("chat", "persona2");
  }

  @Test
  void payload_json_text_is_stored_in_compact_form() {
    NewJob job = factory.create(JobRequest.builder("t").payloadJson("{ \"a\" : [1, 2] }").build());

    assertThat(job.payloadJson()).isEqualTo("{\"a\":[1,2]}");
  }

  @Test
  void blank_unique_key_and_ids_count_as_absent() {
    NewJob job =
        factory.create(
            JobRequest.builder("t").uniqueKey(" ").correlationId("").parentId("\t").build());

    assertThat(job.uniqueKey()).isNull();
    assertThat(job.correlationId()).isNull();
    assertThat(job.parentId()).isNull();
  }

  @Test
  void a_future_delay_makes_the_job_scheduled_for_then() {
    NewJob job = factory.create(JobRequest.builder("t").delay(Duration.ofMinutes(5)).build());

    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(job.runAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(job.createdAt()).isEqualTo(NOW);
  }

  @Test
  void a_future_run_at_makes_the_job_scheduled_for_then() {
    Instant later = NOW.plus(Duration.ofHours(2));

    NewJob job = factory.create(JobRequest.builder("t").runAt(later).build());

    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(job.runAt()).isEqualTo(later);
  }

  @Test
  void a_run_at_now_or_in_the_past_or_a_zero_delay_is_ready_at_once() {
    Instant earlier = NOW.minusSeconds(60);

    assertThat(factory.create(JobRequest.builder("t").runAt(NOW).build()).state())
        .isEqualTo(JobState.READY);
    NewJob past = factory.create(JobRequest.builder("t").runAt(earlier).build());
    assertThat(past.state()).isEqualTo(JobState.READY);
    assertThat(past.runAt()).isEqualTo(earlier);
    assertThat(factory.create(JobRequest.builder("t").delay(Duration.ZERO).build()).state())
        .isEqualTo(JobState.READY);
    assertThat(
            factory
                .create(JobRequest.builder("t").delay(Duration.ZERO).runAt(earlier).build())
                .runAt())
        .isEqualTo(earlier);
  }

  @Test
  void the_limits_themselves_are_accepted() {
    NewJob job =
        factory.create(
            JobRequest.builder("a".repeat(200))
                .maxAttempts(100)
                .timeout(Duration.ofHours(24))
                .uniqueKey("k".repeat(512))
                .correlationId("c".repeat(128))
                .tags(Collections.nCopies(32, "t".repeat(64)))
                .payloadJson('"' + "x".repeat(PAYLOAD_LIMIT - 2) + '"')
                .build());

    assertThat(job.maxAttempts()).isEqualTo(100);
    assertThat(
            factory.create(
                JobRequest.builder("t").maxAttempts(1).timeout(Duration.ofMillis(1)).build()))
        .extracting(NewJob::maxAttempts, NewJob::timeout)
        .containsExactly(1, Duration.ofMillis(1));
  }

  @Test
  void the_payload_limit_counts_utf8_bytes() {
    // "é" is two bytes: 31 of them plus the quotes is 64 bytes, one more is over.
    factory.create(JobRequest.builder("t").payloadJson('"' + "é".repeat(31) + '"').build());

    assertFields(
            () ->
                factory.create(
                    JobRequest.builder("t").payloadJson('"' + "é".repeat(32) + '"').build()))
        .containsExactly("payload");
  }

  // ---- refused requests

  static Stream<Arguments> singleBadField() {
    return Stream.of(
        bad("blank type", "type", b -> JobRequest.builder("  ")),
        bad("no type", "type", b -> JobRequest.builder(null)),
        bad("type with a space", "type", b -> JobRequest.builder("send email")),
        bad("type over 200 characters", "type", b -> JobRequest.builder("a".repeat(201))),
        bad("unknown lane", "lane", b -> b.lane("urgent")),
        bad("lane named in upper case", "lane", b -> b.lane("COGNITION")),
        bad("payload over the limit", "payload", b -> b.payload("x".repeat(PAYLOAD_LIMIT))),
        bad("payload not JSON", "payload", b -> b.payloadJson("{\"a\":")),
        bad("payload with trailing garbage", "payload", b -> b.payloadJson("{\"a\":1} trailing")),
        bad("two payload values", "payload", b -> b.payloadJson("{} {}")),
        bad("empty payload text", "payload", b -> b.payloadJson("")),
        bad("blank payload text", "payload", b -> b.payloadJson("  ")),
        bad("payload Jackson cannot write", "payload", b -> b.payload(new Object())),
        bad("payload text with an unpaired surrogate", "payload.s", b -> b.payloadJson("{\"s\":\"\\ud800\"}")),
        bad("payload key with an unpaired surrogate", "payload", b -> b.payloadJson("{\"\\udc00\":1}")),
        bad("payload number beyond a 64-bit float", "payload.n", b -> b.payloadJson("{\"n\":1e999999}")),
        bad("payload object with an unpaired surrogate", "payload", b -> b.payload(Map.of("s", "x\ud800"))),
        bad("unique_key with an unpaired surrogate", "unique_key", b -> b.uniqueKey("k\udc00")),
        bad("correlation_id with an unpaired surrogate", "correlation_id", b -> b.correlationId("\ud800")),
        bad("parent_id with an unpaired surrogate", "parent_id", b -> b.parentId("\ud800")),
        bad("tag with an unpaired surrogate", "tags", b -> b.tags(List.of("ok", "\ud800"))),
        bad("negative delay", "delay_ms", b -> b.delay(Duration.ofMillis(-1))),
        bad("both delay and run_at", "run_at", b -> b.delay(Duration.ofSeconds(1)).runAt(NOW)),
        bad("max_attempts 0", "max_attempts", b -> b.maxAttempts(0)),
        bad("max_attempts 101", "max_attempts", b -> b.maxAttempts(101)),
        bad("max_attempts negative", "max_attempts", b -> b.maxAttempts(-3)),
        bad("timeout 0", "timeout_ms", b -> b.timeout(Duration.ZERO)),
        bad("timeout under a millisecond", "timeout_ms", b -> b.timeout(Duration.ofNanos(999_999))),
        bad("negative timeout", "timeout_ms", b -> b.timeout(Duration.ofSeconds(-1))),
        bad(
            "timeout over 24 hours",
            "timeout_ms",
            b -> b.timeout(Duration.ofHours(24).plusMillis(1))),
        bad("unique_key over 512 characters", "unique_key", b -> b.uniqueKey("k".repeat(513))),
        bad(
            "correlation_id over 128 characters",
            "correlation_id",
            b -> b.correlationId("c".repeat(129))),
        bad("correlation_id with a newline", "correlation_id", b -> b.correlationId("req-1\nINFO forged")),
        bad("correlation_id with a carriage return", "correlation_id", b -> b.correlationId("req-1\r")),
        bad("correlation_id with an escape", "correlation_id", b -> b.correlationId("req-\u001b[2J")),
        bad("correlation_id with a space", "correlation_id", b -> b.correlationId("req 1")),
        bad("correlation_id with an e-mail", "correlation_id", b -> b.correlationId("ava@example.com")),
        bad("correlation_id padded", "correlation_id", b -> b.correlationId(" req-1 ")),
        bad("parent_id over 200 characters", "parent_id", b -> b.parentId("p".repeat(201))),
        bad("33 tags", "tags", b -> b.tags(Collections.nCopies(33, "t"))),
        bad("blank tag", "tags", b -> b.tags(List.of("ok", " "))),
        bad("tag over 64 characters", "tags", b -> b.tags(List.of("t".repeat(65)))));
  }

  private static Arguments bad(
      String what, String field, UnaryOperator<JobRequest.Builder> change) {
    return Arguments.of(what, field, change);
  }

  @ParameterizedTest(name = "{0} is refused on {1}")
  @MethodSource("singleBadField")
  void each_invalid_field_is_refused_by_its_http_name(
      String what, String field, UnaryOperator<JobRequest.Builder> change) {
    JobRequest request = change.apply(JobRequest.builder("valid_type")).build();

    assertFields(() -> factory.create(request)).containsExactly(field);
  }

  @Test
  void every_invalid_field_is_reported_at_once_in_a_single_refusal() {
    JobRequest request =
        JobRequest.builder(" ")
            .lane("nope")
            .payloadJson("{oops")
            .delay(Duration.ofSeconds(-5))
            .runAt(NOW.plusSeconds(60))
            .maxAttempts(0)
            .timeout(Duration.ZERO)
            .uniqueKey("u".repeat(600))
            .tags(Collections.nCopies(40, "x"))
            .build();

    assertFields(() -> factory.create(request))
        .containsExactly(
            "type",
            "lane",
            "payload",
            "delay_ms",
            "run_at",
            "max_attempts",
            "timeout_ms",
            "unique_key",
            "tags");
  }

  @Test
  void the_refusal_message_names_each_field() {
    assertThatThrownBy(
            () -> factory.create(JobRequest.builder("").lane("nope").maxAttempts(101).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("type:")
        .hasMessageContaining("lane: unknown lane 'nope'")
        .hasMessageContaining("max_attempts:");
  }

  @Test
  void a_batch_names_the_index_of_each_bad_job() {
    List<JobRequest> batch =
        List.of(
            JobRequest.builder("ok").build(),
            JobRequest.builder("").build(),
            JobRequest.builder("ok").build(),
            JobRequest.builder("ok").lane("nope").maxAttempts(0).build());

    assertFields(() -> factory.createAll(batch))
        .containsExactly("jobs[1].type", "jobs[3].lane", "jobs[3].max_attempts");
  }

  @Test
  void a_valid_batch_keeps_its_order_with_increasing_ids() {
    List<NewJob> jobs =
        factory.createAll(
            List.of(
                JobRequest.builder("first").build(),
                JobRequest.builder("second").lane("cognition").build(),
                JobRequest.builder("third").delay(Duration.ofSeconds(1)).build()));

    assertThat(jobs).extracting(NewJob::type).containsExactly("first", "second", "third");
    assertThat(jobs).extracting(NewJob::id).isSorted().doesNotHaveDuplicates();
    assertThat(jobs.get(2).state()).isEqualTo(JobState.SCHEDULED);
  }

  private static org.assertj.core.api.ListAssert<String> assertFields(ThrowingCallable call) {
    var refusal =
        org.assertj.core.api.Assertions.catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(refusal).as("an InvalidRequestException").isNotNull();
    return assertThat(refusal.errors().stream().map(FieldError::field).toList());
  }
}
