package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @Nested
  class Choosing {
    @Test
    void a_valid_correlation_header_wins_over_a_traceparent() {
      assertThat(Correlation.choose("req-42:a.b_c", TRACEPARENT)).isEqualTo("req-42:a.b_c");
    }

    @Test
    void a_valid_traceparent_gives_its_trace_id() {
      assertThat(Correlation.choose(null, TRACEPARENT)).isEqualTo(TRACE_ID);
      assertThat(Correlation.traceId("01-" + TRACE_ID + "-00f067aa0ba902b7-01-future")).isEqualTo(TRACE_ID);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
          "00-" + TRACE_ID + "-0000000000000000-01",
          "ff-" + TRACE_ID + "-00f067aa0ba902b7-01",
          "00-" + TRACE_ID + "-00f067aa0ba902b7-01-extra",
          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
          "garbage"
        })
    void an_invalid_traceparent_gives_nothing(String traceparent) {
      assertThat(Correlation.traceId(traceparent)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ava@example.com", "has space", "", "semi;colon", "<script>"})
    void an_invalid_header_is_replaced_by_a_new_id(String header) {
      String id = Correlation.choose(header, null);

      assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo(header);
    }

    @Test
    void an_overlong_header_is_replaced() {
      assertThat(Correlation.choose("a".repeat(129), null)).matches("[0-9a-f]{32}");
      assertThat(Correlation.choose("a".repeat(128), null)).isEqualTo("a".repeat(128));
    }
  }

  @Nested
  class OverHttp extends ServerTestSupport {
    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.apiToken("a-token-of-sixteen-chars");
    }

    private Reply enqueue(String header, String value, String body) {
      var request =
          api.request("/api/v1/jobs").header("Content-Type", "application/json").POST(BodyPublishers.ofString(body));
      if (header != null) {
        request.header(header, value);
      }
      return api.send(request);
    }

    @Test
    void every_answer_carries_a_correlation_id_even_a_refusal() {
      Reply ok = api.get("/api/v1/lanes");
      Reply refused = api.withToken(null).get("/api/v1/lanes");

      assertThat(ok.header("X-Correlation-Id")).matches("[0-9a-f]{32}");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("X-Correlation-Id")).matches("[0-9a-f]{32}");
      assertThat(refused.header("X-Correlation-Id")).isNotEqualTo(ok.header("X-Correlation-Id"));
    }

    @Test
    void a_job_without_its_own_correlation_id_takes_the_requests() {
      Reply reply = enqueue("X-Correlation-Id", "req-7", "{\"type\":\"reply\"}");

      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.header("X-Correlation-Id")).isEqualTo("req-7");
      assertThat(reply.json().get("correlation_id").asText()).isEqualTo("req-7");
    }

    @Test
    void a_traceparent_becomes_the_jobs_correlation_id() {
      Reply reply = enqueue("traceparent", TRACEPARENT, "{\"type\":\"reply\"}");

      assertThat(reply.json().get("correlation_id").asText()).isEqualTo(TRACE_ID);
      assertThat(reply.header("X-Correlation-Id")).isEqualTo(TRACE_ID);
    }

    @Test
    void a_job_that_names_its_correlation_id_keeps_it() {
      Reply reply = enqueue("X-Correlation-Id", "req-8", "{\"type\":\"reply\",\"correlation_id\":\"conv-1\"}");

      assertThat(reply.json().get("correlation_id").asText()).isEqualTo("conv-1");
      assertThat(reply.header("X-Correlation-Id")).isEqualTo("req-8");
    }

    @Test
    void without_any_id_the_job_gets_the_generated_one_and_every_job_of_a_batch_shares_it() {
      Reply single = enqueue(null, null, "{\"type\":\"reply\"}");
      var batch =
          api.send(
              api.request("/api/v1/jobs/batch")
                  .header("Content-Type", "application/json")
                  .header("X-Correlation-Id", "batch-1")
                  .POST(BodyPublishers.ofString("{\"jobs\":[{\"type\":\"a\"},{\"type\":\"b\",\"correlation_id\":\"own\"}]}")));

      assertThat(single.json().get("correlation_id").asText()).isEqualTo(single.header("X-Correlation-Id"));
      assertThat(batch.json().get("jobs").get(0).get("correlation_id").asText()).isEqualTo("batch-1");
      assertThat(batch.json().get("jobs").get(1).get("correlation_id").asText()).isEqualTo("own");
    }

    @Test
    void an_invalid_header_is_never_echoed() {
      Reply reply = enqueue("X-Correlation-Id", "ava@example.com", "{\"type\":\"reply\"}");

      assertThat(reply.header("X-Correlation-Id")).matches("[0-9a-f]{32}");
      assertThat(reply.text()).doesNotContain("ava@example.com");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "ava@example.com", "has space", "semi;colon", "<script>", "req-1\nINFO forged line", "req-1\r",
          "esc-\u001b[2J", "tab\tbed", " padded ", "caf\u00e9"
        })
    void a_body_correlation_id_the_header_would_replace_is_refused_naming_the_field(String id) {
      Reply reply = enqueue(null, null, body(id));

      assertThat(Correlation.choose(id, null)).as("the header refuses it too").isNotEqualTo(id);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.json().get("errors").findValuesAsText("field")).containsExactly("correlation_id");
      assertThat(reply.text()).as("the value is never echoed").doesNotContain(id.strip());
    }

    @Test
    void the_body_and_the_header_accept_the_same_characters_and_length() {
      for (String id : new String[] {"req-42:a.b_c", "A".repeat(128), "A".repeat(129), "x@y", "a/b", "a\u2028b"}) {
        boolean header = Correlation.choose(id, null).equals(id);
        Reply reply = enqueue(null, null, body(id));

        assertThat(reply.status()).as(id + ": " + reply).isEqualTo(header ? 201 : 400);
      }
    }

    @Test
    void a_bad_correlation_id_in_a_batch_names_its_index_and_stores_nothing() {
      var jobs = JSON.createObjectNode();
      jobs.putArray("jobs").add(JSON.createObjectNode().put("type", "a")).add(bodyNode("x\ny"));
      Reply reply =
          api.send(
              api.request("/api/v1/jobs/batch")
                  .header("Content-Type", "application/json")
                  .POST(BodyPublishers.ofString(jobs.toString())));

      assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
      assertThat(reply.json().get("errors").findValuesAsText("field")).containsExactly("jobs[1].correlation_id");
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    }

    private static JsonNode bodyNode(String correlationId) {
      return JSON.createObjectNode().put("type", "reply").put("correlation_id", correlationId);
    }

    private static String body(String correlationId) {
      return bodyNode(correlationId).toString();
    }

    @Test
    void the_claim_hands_the_correlation_id_to_the_remote_worker() {
      enqueue("X-Correlation-Id", "req-9", "{\"type\":\"reply\",\"lane\":\"cognition\"}");

      assertThat(claim("py-1", "cognition").get(0).get("correlation_id").asText()).isEqualTo("req-9");
    }
  }
}
