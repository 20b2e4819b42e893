package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.job.RetryPolicy;
import dev.vigil.llm.PriceTable;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The demo's handlers record their simulated model calls: after demo jobs ran, {@code GET
 * /api/v1/jobs/{id}} shows each job's {@code usage}, and a job whose attempt failed shows what that
 * attempt cost as {@code retry_cost_usd}. Durations at 2 %, a third of attempts failing and
 * retried at once, draws from a seeded generator. On the embedded store; {@link
 * PostgresDemoUsageTest} runs the same on PostgreSQL.
 */
class DemoUsageTest extends ServerTestSupport {
  private static final DemoWorkload.Settings FLAKY =
      new DemoWorkload.Settings(0.3, 0, 0.02, new RetryPolicy(5, Duration.ZERO, Duration.ZERO));
  private static final PriceTable PRICES = PriceTable.withDefaults();

  @Override
  protected void customise(Vigil.Builder engine) {
    new DemoWorkload(FLAKY, new Random(14)).register(engine);
  }

  @Test
  void finished_demo_jobs_show_their_model_calls_cost_and_what_failed_attempts_cost() {
    StatusLine status = new StatusLine(server.vigil(), InstantSource.system(), ZoneOffset.UTC);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(enqueue(DemoWorkload.CHAT, "cognition").get("id").asText());
    }
    for (int i = 0; i < 3; i++) {
      ids.add(enqueue(DemoWorkload.POST, "social").get("id").asText());
    }
    ids.add(enqueue(DemoWorkload.DIGEST, "sensory").get("id").asText());
    ids.add(enqueue(DemoWorkload.DREAM, "background").get("id").asText());

    List<JsonNode> jobs = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(120)) // generous: a shared build machine can be slow
        .untilAsserted(
            () -> {
              jobs.clear();
              for (String id : ids) {
                JsonNode job = api.get("/api/v1/jobs/" + id).json();
                assertThat(job.get("state").asText()).as("job %s", id).isIn("succeeded", "dead");
                jobs.add(job);
              }
            });

    List<JsonNode> retried = new ArrayList<>();
    for (JsonNode job : jobs) {
      JsonNode usage = job.get("usage");
      List<JsonNode> calls = modelCalls(job, null);
      assertThat(usage.get("calls").asLong()).as("%s", job).isGreaterThanOrEqualTo(1).isEqualTo(calls.size());
      assertThat(usage.get("input_tokens").asLong()).isEqualTo(sum(calls, "gen_ai.usage.input_tokens"));
      assertThat(usage.get("output_tokens").asLong()).isEqualTo(sum(calls, "gen_ai.usage.output_tokens"));
      if (job.get("state").asText().equals("succeeded") && calls.stream().allMatch(DemoUsageTest::priced)) {
        assertThat(usage.get("cost_usd").decimalValue()).as("%s", job).isPositive();
        assertThat(usage.get("co2e_g").asDouble()).isPositive();
      }
      List<JsonNode> failed = modelCalls(job, "failed");
      for (JsonNode call : failed) {
        // a failed call is an error, billed for the prompt it sent
        assertThat(call.get("error.type").asText()).isEqualTo("overloaded");
        assertThat(call.get("gen_ai.usage.input_tokens").asLong()).isPositive();
        assertThat(call.get("gen_ai.usage.output_tokens").asLong()).isZero();
      }
      if (failed.stream().anyMatch(DemoUsageTest::priced)) {
        assertThat(usage.get("retry_cost_usd").decimalValue()).as("%s", job).isPositive();
        retried.add(job);
      }
    }
    assertThat(retried).as("jobs with a failed, priced attempt").isNotEmpty();

    // the status line sums the same calls: their cost and carbon since it started
    BigDecimal cost = BigDecimal.ZERO;
    double grams = 0;
    for (JsonNode job : jobs) {
      if (!job.get("usage").get("cost_usd").isNull()) {
        cost = cost.add(job.get("usage").get("cost_usd").decimalValue());
      }
      grams += job.get("usage").get("co2e_g").asDouble();
    }
    status.close();
    assertThat(status.next())
        .endsWith(String.format(Locale.ROOT, "| $%.2f  %.1f g CO2e", cost, grams));
  }

  /** The attributes of the job's model calls, of attempts with {@code outcome} (null: all). */
  private static List<JsonNode> modelCalls(JsonNode job, String outcome) {
    List<JsonNode> calls = new ArrayList<>();
    for (JsonNode attempt : job.path("timeline").path("attempts")) {
      if (outcome != null && !outcome.equals(attempt.path("outcome").asText())) {
        continue;
      }
      for (JsonNode span : attempt.path("spans")) {
        if (span.get("name").asText().equals("llm_call")) {
          calls.add(span.get("attributes"));
        }
      }
    }
    return calls;
  }

  private static boolean priced(JsonNode call) {
    return PRICES
        .rowFor(call.get("gen_ai.provider.name").asText(), call.get("gen_ai.request.model").asText(), Instant.now())
        .isPresent();
  }

  private static long sum(List<JsonNode> calls, String attribute) {
    return calls.stream().mapToLong(c -> c.get(attribute).asLong()).sum();
  }
}
