package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import org.junit.jupiter.api.Test;

/** With {@code history.enabled: false} nothing is sampled and the history routes answer 404. */
class HistoryApiOffTest extends ServerTestSupport {
  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    var h = HistorySettings.DEFAULTS;
    return b.history(new HistorySettings(false, h.interval(), h.rawRetention(), h.minuteRetention(), h.hourRetention(), h.maxSeries()));
  }

  @Test
  void history_switched_off_answers_404_and_keeps_nothing() {
    var names = api.get("/api/v1/metrics/names");
    var query = api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total");

    assertThat(names.status()).isEqualTo(404);
    assertThat(names.contentType()).startsWith("application/problem+json");
    assertThat(names.json().get("detail").asText()).contains("history.enabled");
    assertThat(query.status()).isEqualTo(404);
    assertThat(server.metricHistory()).isEmpty();
  }
}
