package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsApiTest extends ServerTestSupport {

  /** Health thresholds no busy machine crosses: the health tests here must not depend on the load. */
  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.health(HealthEndpointsTest.steady(List.of()));
  }

  @Test
  void stats_count_jobs_by_state_and_show_lanes_waiting_claims_and_uptime() {
    enqueue("t", "cognition");
    enqueue("t", "social");
    api.post("/api/v1/jobs", "{\"type\":\"t\",\"delay_ms\":60000}");

    Reply reply = api.get("/api/v1/stats");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode stats = reply.json();
    assertThat(stats.get("jobs").get("ready").asLong()).isEqualTo(2);
    assertThat(stats.get("jobs").get("scheduled").asLong()).isEqualTo(1);
    assertThat(stats.get("jobs").get("total").asLong()).isEqualTo(3);
    assertThat(stats.get("jobs").fieldNames()).toIterable()
        .contains("scheduled", "ready", "running", "succeeded", "dead", "cancelled");
    assertThat(stats.get("lanes")).hasSize(4);
    assertThat(stats.get("lanes").get(0).get("name").asText()).isEqualTo("cognition");
    assertThat(stats.get("remote_workers").get("waiting_claims").asInt()).isZero();
    assertThat(stats.get("remote_workers").get("fleet_slots").asInt()).as("no remote worker yet").isZero();
    assertThat(stats.get("uptime_ms").asLong()).isNotNegative();
    assertThat(stats.get("started_at").asText()).endsWith("Z");
    assertThat(stats.get("worker_id").asText()).isNotBlank();
  }

  @Test
  void health_live_and_ready_answer_200_while_serving() {
    Reply health = api.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).as(api.get("/health/detailed").text()).isEqualTo("healthy");
    assertThat(api.get("/health/live").status()).isEqualTo(200);
    assertThat(api.get("/health/live").json().get("status").asText()).isEqualTo("healthy");
    Reply ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("healthy");
    assertThat(ready.json().get("phase").asText()).isEqualTo("ready");
  }

  @Test
  void detailed_health_checks_a_store_round_trip() {
    Reply reply = api.get("/health/detailed");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("status").asText()).isEqualTo("healthy");
    JsonNode store = reply.json().get("checks").get("store");
    assertThat(store.get("status").asText()).isEqualTo("healthy");
    assertThat(store.get("latency_ms").asDouble()).isNotNegative();
  }

  @Test
  void readiness_and_health_report_the_store_down_with_503_while_liveness_stays_up() {
    assertThat(api.get("/health/ready").json().get("checks").get("store").get("status").asText()).isEqualTo("healthy");

    server.vigil().store().close(); // the database goes away under a running server

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> api.get("/health/ready").status() == 503);
    Reply ready = api.get("/health/ready");
    assertThat(ready.json().get("status").asText()).isEqualTo("unhealthy");
    assertThat(ready.json().get("checks").get("store").get("status").asText()).isEqualTo("unhealthy");
    assertThat(ready.text()).doesNotContain("Exception:").doesNotContain("at dev.");
    assertThat(api.get("/health").status()).isEqualTo(503);
    assertThat(api.get("/health/detailed").json().get("checks").get("store").get("status").asText()).isEqualTo("unhealthy");
    assertThat(api.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void a_store_that_cannot_answer_is_a_503_problem_with_retry_after_so_clients_send_again() {
    server.vigil().store().close();

    Reply reply = api.get("/api/v1/jobs");

    assertProblem(reply, 503);
    assertThat(reply.json().get("type").asText()).endsWith("store-unavailable");
    assertThat(reply.header("Retry-After")).isEqualTo("2");
  }

  @Test
  void an_unknown_path_is_a_404_problem() {
    assertProblem(api.get("/api/v1/nothing-here"), 404);
  }

  @Test
  void metrics_are_served_in_the_prometheus_text_format() {
    Reply reply = api.get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain");
    assertThat(reply.text()).contains("# TYPE vigil_queue_depth gauge");
  }

  @Test
  void a_known_path_with_the_wrong_method_is_a_405_problem() {
    Reply reply = api.delete("/api/v1/jobs");

    assertProblem(reply, 405);
    assertThat(reply.header("Allow")).contains("GET").contains("POST");
    assertProblem(api.post("/health/live", "{}"), 405);
  }

  @Test
  void the_openapi_document_is_served_as_json() {
    Reply reply = api.get("/api/openapi.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().get("openapi").asText()).startsWith("3.1");
  }

  @Test
  void a_body_over_the_cap_is_413_before_it_is_read_whether_its_length_is_declared_or_not() {
    long cap = server.config().maxBodyBytes();
    byte[] big = new byte[(int) cap + 10];
    java.util.Arrays.fill(big, (byte) ' ');

    Reply declared = api.post("/api/v1/jobs", "application/json", BodyPublishers.ofByteArray(big));
    Reply chunked =
        api.post("/api/v1/jobs", "application/json", BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));

    assertProblem(declared, 413);
    assertProblem(chunked, 413);
    assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
  }

  @Test
  void an_internal_failure_is_a_500_problem_that_reveals_nothing() {
    // the engine's store goes away under a running listener
    server.vigil().close();

    Reply reply = api.get("/api/v1/stats");

    assertThat(reply.status()).isIn(500, 503);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.text()).doesNotContain("Exception").doesNotContain("at dev.");
  }
}
