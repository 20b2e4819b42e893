package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static dev.vigil.server.http.JobsApiTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.job.Span;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimelineApiTest extends ServerTestSupport {

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("reply", ctx -> {
      try (Span span = ctx.span("llm_call")) {
        span.attribute("model", "sim-chat");
        try (Span db = ctx.span("db_query")) {
          db.attribute("rows", 3);
        }
      }
    });
  }

  private JsonNode awaitState(String id, String state) {
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id).equals(state));
    return api.get("/api/v1/jobs/" + id).json();
  }

  @Test
  void a_job_detail_shows_its_timeline_with_queue_wait_run_and_spans() {
    String id = enqueue("reply", "cognition").get("id").asText();

    JsonNode timeline = awaitState(id, "succeeded").get("timeline");

    assertThat(timeline.get("enqueued_at").asText()).isNotBlank();
    assertThat(timeline.get("total_ms").asLong()).isNotNegative();
    JsonNode attempt = timeline.get("attempts").get(0);
    assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
    assertThat(attempt.get("queue_wait_ms").asLong()).isNotNegative();
    assertThat(attempt.get("outcome").asText()).isEqualTo("succeeded");
    assertThat(attempt.get("run_ms").asLong()).isNotNegative();
    JsonNode spans = attempt.get("spans");
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).get("name").asText()).isEqualTo("db_query");
    assertThat(spans.get(0).get("attributes").get("rows").asText()).isEqualTo("3");
    assertThat(spans.get(1).get("name").asText()).isEqualTo("llm_call");
    assertThat(spans.get(1).get("attributes").get("model").asText()).isEqualTo("sim-chat");
    assertThat(spans.get(1).get("duration_ms").isNumber()).isTrue();
    assertThat(spans.get(1).get("offset_ms").asLong()).isNotNegative();
  }

  @Test
  void lists_carry_no_timeline() {
    enqueue("reply", "cognition");

    assertThat(api.get("/api/v1/jobs").json().get("jobs").get(0).has("timeline")).isFalse();
  }

  @Test
  void a_remote_worker_reports_spans_with_its_completion_and_they_join_the_timeline() {
    String id = enqueue("remote_summarise", "social").get("id").asText();
    JsonNode claimed = claim("py-1", "social").get(0);
    Instant start = Instant.parse(claimed.get("lease_expires_at").asText()).minusSeconds(30);

    Reply done =
        api.post(
            "/api/v1/jobs/" + id + "/complete",
            ("{\"lease_token\":\"%s\",\"result\":{},\"spans\":[{\"name\":\"llm_call\",\"start\":\"%s\","
                    + "\"duration_ms\":812.5,\"attributes\":{\"model\":\"gpt-x\",\"tokens\":120,\"cached\":false}},"
                    + "{\"name\":\"db_query\",\"start\":\"%s\",\"duration_ms\":0.25}]}")
                .formatted(claimed.get("lease_token").asText(), start, start.plusMillis(900)));

    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    JsonNode running = api.get("/api/v1/jobs/" + id).json().get("timeline").get("attempts").get(0);
    JsonNode spans = running.get("spans");
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).get("duration_ms").decimalValue()).isEqualByComparingTo("812.5");
    assertThat(spans.get(0).get("attributes").get("tokens").asText()).isEqualTo("120");
    assertThat(spans.get(0).get("attributes").get("cached").asText()).isEqualTo("false");
    assertThat(spans.get(1).get("duration_ms").decimalValue()).isEqualByComparingTo("0.25");
  }

  @Test
  void a_running_remote_attempt_shows_its_start_and_no_end_yet() {
    String id = enqueue("remote_summarise", "social").get("id").asText();
    claim("py-1", "social");

    JsonNode attempt = api.get("/api/v1/jobs/" + id).json().get("timeline").get("attempts").get(0);

    assertThat(attempt.get("started_at").asText()).isNotBlank();
    assertThat(attempt.get("worker_id").asText()).isEqualTo("py-1");
    assertThat(attempt.get("finished_at").isNull()).isTrue();
    assertThat(attempt.get("outcome").isNull()).isTrue();
  }

  @Test
  void invalid_spans_are_refused_naming_each_field_and_nothing_changes() {
    String id = enqueue("remote_summarise", "social").get("id").asText();
    String token = claim("py-1", "social").get(0).get("lease_token").asText();

    Reply reply =
        api.post(
            "/api/v1/jobs/" + id + "/fail",
            ("{\"lease_token\":\"%s\",\"error\":{\"type\":\"Boom\"},\"spans\":[{\"name\":\"bad name\",\"start\":\"yesterday\","
                    + "\"duration_ms\":-1,\"attributes\":{\"k\":{\"nested\":1}}},{\"start\":\"2026-01-01T00:00:00Z\"}]}")
                .formatted(token));

    assertProblem(reply, 400);
    assertThat(errorFields(reply))
        .contains("spans[0].name", "spans[0].start", "spans[0].duration_ms", "spans[0].attributes.k", "spans[1].name",
            "spans[1].duration_ms");
    assertThat(state(id)).isEqualTo("running");
  }
}
