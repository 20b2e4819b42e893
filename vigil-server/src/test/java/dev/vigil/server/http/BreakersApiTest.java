package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/breakers} and what an open breaker shows over HTTP: a remote worker fails 20
 * attempts of one type, the type's breaker opens, its other jobs are held (ready, no attempt
 * spent, {@code held.by} breaker), and the gauge says open.
 */
class BreakersApiTest extends ServerTestSupport {

  private List<String> enqueue(String type, int n) {
    var jobs = new StringBuilder();
    for (int i = 0; i < n; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"lane\":\"cognition\"}");
    }
    var reply = api.post("/api/v1/jobs/batch", "{\"jobs\":[" + jobs + "]}");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    var ids = new ArrayList<String>();
    reply.json().get("jobs").forEach(j -> ids.add(j.get("id").asText()));
    return ids;
  }

  private JsonNode claim(String type, int max) {
    var reply = api.post("/api/v1/claim",
        "{\"worker_id\":\"py-1\",\"types\":[\"%s\"],\"max\":%d,\"wait_ms\":0}".formatted(type, max));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().get("jobs");
  }

  private void failAll(JsonNode claimed) {
    for (JsonNode j : claimed) {
      var reply = api.post("/api/v1/jobs/" + j.get("id").asText() + "/fail", """
          {"lease_token":"%s","error":{"type":"ProviderUnavailable","message":"503"},"retryable":true}"""
          .formatted(j.get("lease_token").asText()));
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
  }

  private JsonNode breaker(String key) {
    for (JsonNode b : api.get("/api/v1/breakers").json().get("breakers")) {
      if (b.get("key").asText().equals(key)) {
        return b;
      }
    }
    throw new AssertionError("no breaker " + key);
  }

  @Test
  void no_attempt_ended_yet_means_no_breaker() {
    var reply = api.get("/api/v1/breakers");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("breakers")).isEmpty();
  }

  @Test
  void twenty_failed_attempts_open_the_types_breaker_and_its_other_jobs_show_held_by_it() {
    List<String> ids = enqueue("call", 25);
    Instant before = Instant.now();
    failAll(claim("call", 10));
    JsonNode closed = breaker("type:call");
    assertThat(closed.get("state").asText()).isEqualTo("closed");
    assertThat(closed.get("failure_ratio").asDouble()).as("10 attempts, all failed, fewer than 20").isEqualTo(1.0);
    assertThat(closed.get("next_probe_at").isNull()).isTrue();

    failAll(claim("call", 10));

    JsonNode open = breaker("type:call");
    assertThat(open.get("state").asText()).isEqualTo("open");
    assertThat(open.get("failure_ratio").asDouble()).isEqualTo(1.0);
    Instant since = Instant.parse(open.get("since").asText());
    assertThat(since).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(Instant.parse(open.get("next_probe_at").asText())).isEqualTo(since.plus(Duration.ofSeconds(30)));

    assertThat(claim("call", 10)).as("nothing of the type starts while it is open").isEmpty();
    JsonNode held = api.get("/api/v1/jobs/" + ids.get(24)).json();
    assertThat(held.get("state").asText()).isEqualTo("ready");
    assertThat(held.get("attempt").asInt()).isZero();
    assertThat(held.get("held").get("by").asText()).isEqualTo("breaker");
    assertThat(held.get("held").get("key").asText()).isEqualTo("type:call");
    assertThat(held.get("held").get("until").asText()).isEqualTo(open.get("next_probe_at").asText());

    assertThat(api.get("/metrics").text())
        .contains("vigil_breaker_state{key=\"type:call\"} 2.0")
        .contains("vigil_breaker_transitions_total{key=\"type:call\",to=\"open\"} 1.0");
  }
}
