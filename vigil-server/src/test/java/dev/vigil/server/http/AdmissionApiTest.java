package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ManualClock;
import dev.vigil.Vigil;
import dev.vigil.job.Lane;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission over HTTP: a lane at its {@code max_ready} answers 429 {@code lane-full}, an
 * overloaded lane 503 {@code overloaded}, both with {@code Retry-After} and nothing stored; and
 * {@code GET /api/v1/lanes} shows each lane's backpressure. The engine's clock stands still and
 * its readings are taken with {@link Vigil#runDueNow()}.
 */
class AdmissionApiTest extends ServerTestSupport {
  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.lanes(
        List.of(
            Lane.DEFAULTS.get(0).withCapacity(5),
            Lane.DEFAULTS.get(1).withMaxReady(2),
            Lane.DEFAULTS.get(2),
            Lane.DEFAULTS.get(3).withCapacity(10)));
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.clock(new ManualClock(Instant.parse("2026-01-05T10:00:00Z"))).maintenanceInterval(Duration.ofHours(1));
  }

  private Reply post(String lane) {
    return api.post("/api/v1/jobs", "{\"type\":\"work\",\"lane\":\"%s\"}".formatted(lane));
  }

  private Reply batch(String... lanes) {
    var jobs = new ArrayList<String>();
    for (String lane : lanes) {
      jobs.add("{\"type\":\"work\",\"lane\":\"%s\"}".formatted(lane));
    }
    return api.post("/api/v1/jobs/batch", "{\"jobs\":[" + String.join(",", jobs) + "]}");
  }

  private long stored(String lane) {
    return api.get("/api/v1/jobs?limit=500&lane=" + lane).json().get("jobs").size();
  }

  private void overloadBackground() {
    String[] ten = new String[10];
    java.util.Arrays.fill(ten, "background");
    assertThat(batch(ten).status()).isEqualTo(201);
    server.vigil().runDueNow();
  }

  @Test
  void a_lane_at_max_ready_answers_429_lane_full_with_retry_after_and_stores_nothing() {
    assertThat(batch("social", "social").status()).isEqualTo(201);

    Reply full = post("social");

    assertProblem(full, 429);
    assertThat(full.json().get("type").asText()).isEqualTo("https://vigil.dev/problems/lane-full");
    assertThat(full.json().get("detail").asText()).startsWith("lane social is full: max_ready is 2");
    assertThat(full.header("Retry-After")).isEqualTo("300");
    assertThat(stored("social")).isEqualTo(2);
  }

  @Test
  void an_overloaded_lane_answers_503_overloaded_with_retry_after_while_cognition_still_gets_201() {
    overloadBackground();

    Reply refused = post("background");
    Reply chat = post("cognition");

    assertProblem(refused, 503);
    assertThat(refused.json().get("type").asText()).isEqualTo("https://vigil.dev/problems/overloaded");
    assertThat(refused.json().get("title").asText()).isEqualTo("Overloaded");
    assertThat(refused.json().get("detail").asText())
        .startsWith("lane background is overloaded and refuses new jobs (ready jobs at 100 % of capacity (10 of 10)");
    assertThat(refused.header("Retry-After")).isEqualTo("300");
    assertThat(chat.status()).isEqualTo(201);
    assertThat(stored("background")).isEqualTo(10);
  }

  @Test
  void a_batch_with_a_job_for_an_overloaded_lane_is_refused_whole() {
    overloadBackground();

    Reply refused = batch("cognition", "social", "background");

    assertProblem(refused, 503);
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(stored("cognition")).isZero();
    assertThat(stored("social")).isZero();
  }

  @Test
  void lanes_show_their_backpressure_and_load_settings() {
    overloadBackground();

    JsonNode lanes = api.get("/api/v1/lanes").json();

    JsonNode cognition = lanes.get(0);
    assertThat(cognition.get("protected").asBoolean()).isTrue();
    assertThat(cognition.get("target_wait_ms").asLong()).isEqualTo(1_000);
    assertThat(cognition.get("max_ready").isNull()).isTrue();
    JsonNode normal = cognition.get("backpressure");
    assertThat(normal.get("level").asInt()).isZero();
    assertThat(normal.get("state").asText()).isEqualTo("normal");
    assertThat(normal.get("reason").asText()).isEqualTo("ready jobs at 0 % of capacity (0 of 5)");
    assertThat(lanes.get(1).get("max_ready").asInt()).isEqualTo(2);
    JsonNode background = lanes.get(3);
    assertThat(background.get("protected").asBoolean()).isFalse();
    assertThat(background.get("target_wait_ms").asLong()).isEqualTo(600_000);
    JsonNode overloaded = background.get("backpressure");
    assertThat(overloaded.get("level").asInt()).isEqualTo(3);
    assertThat(overloaded.get("state").asText()).isEqualTo("overloaded");
    assertThat(overloaded.get("reason").asText())
        .isEqualTo("ready jobs at 100 % of capacity (10 of 10); oldest ready job waiting 0 ms (target 10 min)");
  }

  @Test
  void metrics_show_the_level_its_changes_and_the_refusals() {
    overloadBackground();
    post("background");

    String metrics = api.get("/metrics").text();

    assertThat(metrics)
        .contains("vigil_backpressure_level{lane=\"background\"} 3.0")
        .contains("vigil_backpressure_level{lane=\"social\"} 0.0")
        .contains("vigil_backpressure_transitions_total{lane=\"background\",to=\"overloaded\"} 1.0")
        .contains("vigil_jobs_rejected_total{lane=\"background\",reason=\"overloaded\",type=\"work\"} 1.0");
  }
}
