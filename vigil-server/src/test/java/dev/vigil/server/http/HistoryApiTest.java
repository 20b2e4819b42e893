package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/metrics/names} and {@code /query} on a real server sampling every second. */
class HistoryApiTest extends ServerTestSupport {
  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)));
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("echo", ctx -> {});
  }

  @Test
  void the_last_fifteen_minutes_after_traffic_show_the_jobs_that_ran() {
    for (int i = 0; i < 12; i++) {
      enqueue("echo", "cognition");
    }
    for (int i = 0; i < 3; i++) {
      enqueue("echo", "social");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/stats").json().get("jobs").get("succeeded").asLong() == 15);

    String succeeded = "/api/v1/metrics/query?name=vigil_jobs_succeeded_total&fn=increase&by=lane&from=-15m&step_ms=900000";
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      JsonNode r = ok(succeeded);
      assertThat(lastValues(r)).containsExactly("cognition=12.0", "social=3.0");
    });

    JsonNode r = ok(succeeded);
    assertThat(r.get("name").asText()).isEqualTo("vigil_jobs_succeeded_total");
    assertThat(r.get("fn").asText()).isEqualTo("increase");
    assertThat(r.get("step_ms").asLong()).isEqualTo(900_000);
    JsonNode last = last(r.get("series").get(0));
    assertThat(last.get(0).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    JsonNode replies = ok("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&fn=rate&match[lane]=social&from=-15m&step_ms=10000");
    assertThat(replies.get("series")).hasSize(1);
    assertThat(replies.get("series").get(0).get("labels").size()).isZero();

    JsonNode latency = ok("/api/v1/metrics/query?name=vigil_job_latency_seconds&fn=p99&by=lane&match[lane]=cognition&from=-15m&step_ms=900000");
    assertThat(latency.get("series")).singleElement().satisfies(s -> {
      assertThat(s.get("labels").get("lane").asText()).isEqualTo("cognition");
      assertThat(last(s).get(1).asDouble()).isBetween(0.0, 10.0);
    });

    JsonNode slots = ok("/api/v1/metrics/query?name=vigil_worker_slots&fn=last&from=-1m&step_ms=60000");
    assertThat(last(slots.get("series").get(0)).get(1).asDouble()).isEqualTo(16.0);
  }

  @Test
  void names_list_what_history_holds_under_the_names_of_the_metrics_endpoint() {
    enqueue("echo", "cognition");
    await().atMost(Duration.ofSeconds(30)).until(() -> names().contains("vigil_jobs_succeeded_total"));

    JsonNode metrics = ok("/api/v1/metrics/names").get("metrics");
    JsonNode succeeded = null;
    for (JsonNode m : metrics) {
      if (m.get("name").asText().equals("vigil_jobs_succeeded_total")) {
        succeeded = m;
      }
    }
    assertThat(succeeded).isNotNull();
    assertThat(succeeded.get("kind").asText()).isEqualTo("counter");
    assertThat(succeeded.get("labels")).extracting(JsonNode::asText).containsExactly("lane", "node", "type");
    assertThat(metrics).anySatisfy(m -> {
      assertThat(m.get("name").asText()).isEqualTo("vigil_job_latency_seconds");
      assertThat(m.get("kind").asText()).isEqualTo("histogram");
    });

    Matcher families = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(api.get("/metrics").text());
    Set<String> scraped = new HashSet<>();
    while (families.find()) {
      scraped.add(families.group(1));
      scraped.add(families.group(1) + "_total");
    }
    assertThat(scraped).containsAll(names());
  }

  @Test
  void bad_input_answers_400_problem_json_naming_each_field() {
    assertFields(api.get("/api/v1/metrics/query?fn=median&from=yesterday&to=-3x&step_ms=ten&colour=red"),
        "colour", "name", "fn", "from", "to", "step_ms");
    enqueue("echo", "cognition");
    await().atMost(Duration.ofSeconds(30)).until(() -> names().contains("vigil_jobs_succeeded_total"));
    assertFields(api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&fn=p99"), "fn");
    assertFields(api.get("/api/v1/metrics/query?name=vigil_no_such_total"), "name");
    assertFields(api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&step_ms=500"), "step_ms");
    assertFields(api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&from=-7d&step_ms=1000"), "step_ms");
    assertFields(api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&from=-1m&to=-2m"), "from");
    assertFields(api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&by=lane," + enc("bad label")), "by");
    assertFields(api.get("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&" + enc("match[bad label]") + "=x"), "match[bad label]");
  }

  @Test
  void rfc_3339_times_with_offsets_are_read_as_instants() {
    enqueue("echo", "cognition");
    await().atMost(Duration.ofSeconds(30)).until(() -> names().contains("vigil_jobs_succeeded_total"));

    JsonNode r = ok("/api/v1/metrics/query?name=vigil_jobs_succeeded_total&from=" + enc("2026-01-01T02:00:00+02:00")
        + "&to=" + enc("2026-01-01T01:00:00Z") + "&step_ms=3600000");

    assertThat(r.get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(r.get("to").asText()).isEqualTo("2026-01-01T01:00:00Z");
  }

  private Set<String> names() {
    Set<String> out = new HashSet<>();
    ok("/api/v1/metrics/names").get("metrics").forEach(m -> out.add(m.get("name").asText()));
    return out;
  }

  private JsonNode ok(String path) {
    Reply reply = api.get(path);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  private static void assertFields(Reply reply, String... fields) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    List<String> named = new ArrayList<>();
    reply.json().get("errors").forEach(e -> named.add(e.get("field").asText()));
    assertThat(named).containsExactly(fields);
  }

  private static JsonNode last(JsonNode series) {
    JsonNode points = series.get("points");
    return points.get(points.size() - 1);
  }

  private static List<String> lastValues(JsonNode r) {
    List<String> out = new ArrayList<>();
    r.get("series").forEach(s -> out.add(s.get("labels").get("lane").asText() + "=" + last(s).get(1).asDouble()));
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
