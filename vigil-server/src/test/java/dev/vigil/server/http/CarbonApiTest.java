package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.ApiClient;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.server.VigilServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/carbon}: a range's energy and carbon from metric history, the process part
 * measured and the model calls' part unknown (null, never 0) while no usage is recorded.
 */
class CarbonApiTest extends ServerTestSupport {
  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)));
  }

  @Test
  void the_range_shows_the_process_energy_from_history_and_model_calls_as_unknown() {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/carbon?from=-1h").json().get("process").get("energy_wh").isNumber());

    JsonNode carbon = api.get("/api/v1/carbon?from=-1h").json();

    assertThat(carbon.get("process").get("energy_wh").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(carbon.get("process").get("co2e_g").isNumber()).isTrue();
    assertThat(carbon.get("process").get("cpu_method").asText()).isIn("rapl", "cpu_utilisation_tdp");
    assertThat(carbon.get("process").get("grid_intensity_g_per_kwh").asDouble()).as("the world average by default").isEqualTo(475.0);
    assertThat(carbon.get("llm").get("energy_wh").isNull()).as("unknown, not zero").isTrue();
    assertThat(carbon.get("energy_wh").asDouble()).isEqualTo(carbon.get("process").get("energy_wh").asDouble());
    assertThat(carbon.get("notes").toString()).contains("null means unknown");
    assertThat(Duration.between(java.time.Instant.parse(carbon.get("from").asText()), java.time.Instant.parse(carbon.get("to").asText())))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void a_bad_range_or_an_unknown_parameter_is_refused_with_400_naming_it() {
    assertProblem(api.get("/api/v1/carbon?from=-1h&to=-2h"), 400);
    assertThat(api.get("/api/v1/carbon?from=-1h&to=-2h").json().toString()).contains("from");
    assertProblem(api.get("/api/v1/carbon?since=1h"), 400);
    assertThat(api.get("/api/v1/carbon?since=1h").json().toString()).contains("since");
    assertProblem(api.get("/api/v1/carbon?from=yesterday"), 400);
  }

  @Test
  void without_metric_history_it_answers_404() {
    server.close();
    server = VigilServer.start(
        ServerConfig.builder().port(0).dataDir(dataDir.resolve("off")).history(new HistorySettings(false, Duration.ofSeconds(10),
            Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(400), 10_000)).build(), e -> {});

    assertProblem(new ApiClient(server.url(), null).get("/api/v1/carbon"), 404);
  }
}
