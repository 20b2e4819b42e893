package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.llm.LlmCall;
import dev.vigil.llm.TokenCounts;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/carbon} counts the model calls handlers record, from metric history. */
class CarbonWithUsageApiTest extends ServerTestSupport {
  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)));
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("ask", ctx -> {
      try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
        call.tokens(TokenCounts.of(1_000, 400));
      }
    });
  }

  @Test
  void the_model_calls_part_is_the_energy_and_carbon_of_the_recorded_calls() {
    String id = enqueue("ask", "cognition").get("id").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id).equals("succeeded"));
    JsonNode usage = api.get("/api/v1/jobs/" + id).json().get("usage");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(api.get("/api/v1/carbon?from=-1h").json().get("llm").get("energy_wh").asDouble())
            .isCloseTo(usage.get("energy_wh").asDouble(), within(1e-6)));
    JsonNode carbon = api.get("/api/v1/carbon?from=-1h").json();
    assertThat(carbon.get("llm").get("co2e_g").asDouble()).isCloseTo(usage.get("co2e_g").asDouble(), within(1e-6));
    assertThat(carbon.get("notes").toString()).contains("model calls: estimated per call");
  }
}
