package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Attempt;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.llm.JobUsage;
import dev.vigil.llm.LlmCall;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.PriceTable;
import dev.vigil.llm.TokenCounts;
import dev.vigil.llm.UsdPerMillion;
import dev.vigil.store.SqliteJobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording model calls from in-process handlers ({@code ctx.llm}): each call is a span with the
 * OpenTelemetry GenAI attributes, a usage record priced by the engine's table when it is recorded,
 * stored with its attempt, and summed per job with the cost of failed attempts apart.
 */
class LlmUsageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** $0.15 input, $0.075 cached input, $0.60 output per million tokens. */
  private static final PriceTable PRICES =
      PriceTable.of(List.of(new PriceRow(
          "openai", "gpt-4o-mini", LocalDate.parse("2024-07-18"), UsdPerMillion.of("0.15", "0.075", "0.60"))));

  @TempDir Path dir;
  private Vigil vigil;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private Vigil.Builder engine() {
    return Vigil.builder()
        .store(SqliteJobStore.open(dir.resolve("vigil.db")))
        .shutdownGrace(Duration.ofSeconds(5))
        .retryPolicy(new RetryPolicy(2, Duration.ZERO, Duration.ZERO))
        .meterRegistry(registry)
        .prices(PRICES);
  }

  private Job awaitState(String id, JobState state) {
    await().atMost(WAIT).until(() -> vigil.get(id).orElseThrow().state() == state);
    return vigil.get(id).orElseThrow();
  }

  @Test
  void two_calls_in_a_failed_attempt_and_one_in_the_successful_retry_show_what_the_retry_cost() {
    vigil =
        engine()
            .handler("reply", ctx -> {
              if (ctx.attempt() == 1) {
                try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
                  call.tokens(new TokenCounts(1_000, 200, 500, 0));
                }
                try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
                  call.tokens(TokenCounts.of(2_000, 100));
                }
                throw new IllegalStateException("the reply did not parse");
              }
              try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
                call.tokens(TokenCounts.of(1_000, 1_000));
              }
            })
            .start();

    Job job = awaitState(vigil.enqueue(JobRequest.builder("reply").build()).id(), JobState.SUCCEEDED);

    // attempt 1: (800 x 0.15 + 200 x 0.075 + 500 x 0.60) / 1e6 = 0.000435, (2000 x 0.15 + 100 x 0.60) / 1e6 = 0.00036
    // attempt 2: (1000 x 0.15 + 1000 x 0.60) / 1e6 = 0.00075
    assertThat(vigil.llmUsage(job.id()))
        .extracting(LlmUsage::attempt, LlmUsage::costUsd)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.000435")),
            org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.00036")),
            org.assertj.core.groups.Tuple.tuple(2, new BigDecimal("0.00075")));
    JobUsage usage = vigil.usage(job);
    assertThat(usage.calls()).isEqualTo(3);
    assertThat(usage.inputTokens()).isEqualTo(4_000);
    assertThat(usage.outputTokens()).isEqualTo(1_600);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.001545");
    assertThat(usage.retryCostUsd()).isEqualByComparingTo("0.000795");
    assertThat(usage.energyWh()).isPositive();
    assertThat(usage.co2eGrams()).isCloseTo(usage.energyWh() * 475 / 1000, within(1e-9));
    assertThat(registry.get("vigil.llm.cost.usd").tags("model", "gpt-4o-mini", "type", "reply").counter().count())
        .isCloseTo(0.001545, within(1e-12));
    assertThat(registry.get("vigil.llm.tokens").tags("token_type", "cached_input").counter().count()).isEqualTo(200);
    assertThat(registry.get("vigil.llm.call").tags("provider", "openai").timer().count()).isEqualTo(3);
  }

  @Test
  void each_call_is_a_span_with_the_gen_ai_attributes() {
    vigil =
        engine()
            .handler("reply", ctx -> {
              try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
                call.tokens(new TokenCounts(1_200, 1_000, 300, 40));
              }
            })
            .start();

    Job job = awaitState(vigil.enqueue(JobRequest.builder("reply").build()).id(), JobState.SUCCEEDED);

    Attempt attempt = job.attempts().getFirst();
    assertThat(attempt.spans()).extracting(JobSpan::name).containsExactly(LlmCall.SPAN_NAME);
    assertThat(attempt.spans().getFirst().attributes())
        .containsAllEntriesOf(Map.of(
            "gen_ai.provider.name", "openai",
            "gen_ai.request.model", "gpt-4o-mini",
            "gen_ai.operation.name", "chat",
            "gen_ai.usage.input_tokens", "1200",
            "gen_ai.usage.output_tokens", "300",
            "gen_ai.usage.cache_read.input_tokens", "1000",
            "gen_ai.usage.reasoning.output_tokens", "40"))
        .doesNotContainKey("error.type");
    LlmUsage call = vigil.llmUsage(job.id()).getFirst();
    assertThat(call.ok()).isTrue();
    assertThat(call.operation()).isEqualTo("chat");
    assertThat(call.type()).isEqualTo("reply");
    assertThat(call.at()).isBetween(attempt.startedAt(), attempt.finishedAt());
  }

  @Test
  void an_unknown_model_costs_null_not_zero_and_is_counted_as_unpriced() {
    vigil =
        engine()
            .handler("reply", ctx -> {
              try (LlmCall call = ctx.llm("acme", "mystery-llm")) {
                call.tokens(TokenCounts.of(100, 100));
              }
            })
            .start();

    Job job = awaitState(vigil.enqueue(JobRequest.builder("reply").build()).id(), JobState.SUCCEEDED);

    assertThat(vigil.llmUsage(job.id())).singleElement().satisfies(u -> {
      assertThat(u.costUsd()).isNull();
      assertThat(u.energyWh()).isPositive();
    });
    JobUsage usage = vigil.usage(job);
    assertThat(usage.calls()).isEqualTo(1);
    assertThat(usage.costUsd()).isNull();
    assertThat(usage.retryCostUsd()).isNull();
    assertThat(registry.get("vigil.llm.unpriced.calls").tags("provider", "acme", "model", "mystery-llm").counter().count())
        .isEqualTo(1);
    assertThat(registry.find("vigil.llm.cost.usd").counters()).isEmpty();
  }

  @Test
  void a_call_closed_without_tokens_or_marked_failed_is_recorded_as_an_error() {
    vigil =
        engine()
            .handler("reply", ctx -> {
              try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
                call.operation("embeddings");
              }
              try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
                call.tokens(TokenCounts.of(10, 0)).error(new java.net.SocketTimeoutException("secret prompt"));
              }
            })
            .start();

    Job job = awaitState(vigil.enqueue(JobRequest.builder("reply").build()).id(), JobState.SUCCEEDED);

    assertThat(vigil.llmUsage(job.id()))
        .extracting(LlmUsage::operation, LlmUsage::outcome, u -> u.tokens().input())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("embeddings", LlmUsage.ERROR, 0L),
            org.assertj.core.groups.Tuple.tuple("chat", LlmUsage.ERROR, 10L));
    assertThat(job.attempts().getFirst().spans())
        .extracting(s -> s.attributes().get("error.type"))
        .containsExactly("no_tokens", "SocketTimeoutException");
  }

  @Test
  void a_job_that_made_no_calls_has_no_usage() {
    vigil = engine().handler("quiet", ctx -> ctx.result("ok")).start();

    Job job = awaitState(vigil.enqueue(JobRequest.builder("quiet").build()).id(), JobState.SUCCEEDED);

    assertThat(vigil.usage(job)).isNull();
  }
}
