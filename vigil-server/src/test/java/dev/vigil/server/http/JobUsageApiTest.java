package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.carbon.CarbonSettings;
import dev.vigil.carbon.GridIntensity;
import dev.vigil.job.RetryPolicy;
import dev.vigil.llm.LlmCall;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.TokenCounts;
import dev.vigil.llm.UsdPerMillion;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's {@code usage} in its JSON: its model calls summed, the cost of failed attempts apart. */
class JobUsageApiTest extends ServerTestSupport {

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.retry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO))
        .carbon(CarbonSettings.defaults().withRegion("FR"))
        .llmPrices(List.of(
            new PriceRow("acme", "rocket-1", LocalDate.parse("2025-01-01"), UsdPerMillion.of("2", "1", "8"))));
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("ask", ctx -> {
      if (ctx.attempt() == 1) {
        try (LlmCall call = ctx.llm("acme", "rocket-1")) {
          call.tokens(TokenCounts.of(1_000, 500));
        }
        throw new IllegalStateException("no answer");
      }
      try (LlmCall call = ctx.llm("acme", "rocket-1")) {
        call.tokens(new TokenCounts(2_000, 1_000, 250, 0));
      }
    });
    engine.handler("quiet", ctx -> ctx.result("ok"));
  }

  private JsonNode awaitSucceeded(String id) {
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id).equals("succeeded"));
    return api.get("/api/v1/jobs/" + id).json();
  }

  @Test
  void a_job_shows_its_usage_with_the_failed_attempts_cost_apart() {
    JsonNode job = awaitSucceeded(enqueue("ask", "cognition").get("id").asText());

    JsonNode usage = job.get("usage");
    assertThat(usage.get("calls").asLong()).isEqualTo(2);
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(3_000);
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(750);
    // attempt 1: (1000 x 2 + 500 x 8) / 1e6 = 0.006; attempt 2: (1000 x 2 + 1000 x 1 + 250 x 8) / 1e6 = 0.005
    assertThat(usage.get("cost_usd").decimalValue()).isEqualByComparingTo("0.011");
    assertThat(usage.get("retry_cost_usd").decimalValue()).isEqualByComparingTo("0.006");
    assertThat(usage.get("energy_wh").asDouble()).isPositive();
    // carbon at the configured region's grid intensity
    assertThat(usage.get("co2e_g").asDouble())
        .isCloseTo(usage.get("energy_wh").asDouble() * GridIntensity.shipped().gramsPerKwh("FR") / 1000, within(1e-9));
    String scrape = api.get("/metrics").text();
    assertThat(scrape)
        .contains(
            "# TYPE vigil_llm_tokens_total counter",
            "# TYPE vigil_llm_cost_usd_total counter",
            "# TYPE vigil_llm_energy_wh_total counter",
            "# TYPE vigil_llm_co2e_grams_total counter",
            "# TYPE vigil_llm_call_seconds histogram",
            "vigil_llm_call_seconds_bucket{lane=\"cognition\",model=\"rocket-1\",provider=\"acme\",type=\"ask\",le=\"0.01\"}")
        .contains("vigil_llm_tokens_total{lane=\"cognition\",model=\"rocket-1\",provider=\"acme\",token_type=\"cached_input\",type=\"ask\"} 1000.0");
  }

  @Test
  void a_job_without_calls_has_usage_null_and_lists_carry_null() {
    String id = enqueue("quiet", "cognition").get("id").asText();

    assertThat(awaitSucceeded(id).get("usage").isNull()).isTrue();
    JsonNode listed = api.get("/api/v1/jobs").json().get("jobs").get(0);
    assertThat(listed.has("usage")).isTrue();
    assertThat(listed.get("usage").isNull()).isTrue();
  }
}
