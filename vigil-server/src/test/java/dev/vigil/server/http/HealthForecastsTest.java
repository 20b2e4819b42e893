package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code forecasts} in {@code /health/detailed} on a real SQLite server sampling every second. */
class HealthForecastsTest {
  @Nested
  class HistoryOn extends ServerTestSupport {
    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.health(HealthEndpointsTest.steady(List.of()))
          .history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)));
    }

    @Test
    void detailed_health_forecasts_the_disk_and_every_lane_once_history_has_a_few_points() {
      Map<String, Integer> capacity = new HashMap<>();
      api.get("/api/v1/lanes").json().forEach(l -> capacity.put(l.get("name").asText(), l.get("capacity").asInt()));

      // asked only once history holds a few points, so the first (cached) answer has forecasts
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> points("vigil_data_dir_free_bytes") >= 4 && points("vigil_queue_depth") >= 4);

      List<JsonNode> forecasts = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Reply reply = api.get("/health/detailed");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        forecasts.clear();
        reply.json().get("forecasts").forEach(forecasts::add);
        assertThat(forecasts).extracting(f -> f.get("what").asText()).contains("disk_free", "lane_backlog");
        assertThat(forecasts).filteredOn(f -> f.get("what").asText().equals("lane_backlog")).hasSize(capacity.size());
      });

      for (JsonNode f : forecasts) {
        assertThat(f.fieldNames()).toIterable().containsExactly(
            "what", "labels", "value", "threshold", "slope_per_hour", "reaches_at", "r_squared", "points");
        assertThat(f.get("points").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(f.get("r_squared").asDouble()).isBetween(0.0, 1.0);
        assertThat(f.get("slope_per_hour").isNumber()).isTrue();
        JsonNode reaches = f.get("reaches_at");
        assertThat(reaches.isNull() || reaches.asText().matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z")).as(f.toString()).isTrue();
      }
      assertThat(forecasts).filteredOn(f -> f.get("what").asText().equals("disk_free")).singleElement().satisfies(f -> {
        assertThat(f.get("labels").get("node").asText()).isNotBlank();
        assertThat(f.get("value").asDouble()).isPositive();
        assertThat(f.get("threshold").asDouble()).isZero();
      });
      // no job was enqueued: every backlog stays at 0 and never reaches its capacity
      assertThat(forecasts).filteredOn(f -> f.get("what").asText().equals("lane_backlog")).allSatisfy(f -> {
        String lane = f.get("labels").get("lane").asText();
        assertThat(f.get("threshold").asInt()).as(lane).isEqualTo(capacity.get(lane));
        assertThat(f.get("value").asDouble()).as(lane).isZero();
        assertThat(f.get("slope_per_hour").asDouble()).as(lane).isZero();
        assertThat(f.get("reaches_at").isNull()).as(lane).isTrue();
      });
      assertThat(forecasts).filteredOn(f -> f.get("what").asText().equals("heap_after_gc")).allSatisfy(f -> {
        assertThat(f.get("threshold").asDouble()).isPositive();
        assertThat(f.get("value").asDouble()).isLessThan(f.get("threshold").asDouble());
      });
    }

    /** The fewest points any series of gauge {@code name} has over the last 10 s, 0 while history holds none. */
    private int points(String name) {
      Reply r = api.get("/api/v1/metrics/query?name=" + name + "&fn=last&by=lane,node&from=-10s&step_ms=1000");
      if (r.status() != 200 || r.json().get("series").isEmpty()) {
        return 0;
      }
      int fewest = Integer.MAX_VALUE;
      for (JsonNode s : r.json().get("series")) {
        fewest = Math.min(fewest, s.get("points").size());
      }
      return fewest;
    }
  }

  @Nested
  class HistoryOff extends ServerTestSupport {
    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      var h = HistorySettings.DEFAULTS;
      var off = new HistorySettings(false, h.interval(), h.rawRetention(), h.minuteRetention(), h.hourRetention(), h.maxSeries());
      return b.health(HealthEndpointsTest.steady(List.of())).history(off);
    }

    @Test
    void detailed_health_has_no_forecasts_without_history() {
      Reply reply = api.get("/health/detailed");

      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.json().has("forecasts")).isFalse();
    }
  }
}
