package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.job.JobRequest;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TracesApiTest extends ServerTestSupport {
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("plan", ctx -> {
      ctx.enqueueChild(JobRequest.builder("search").lane("sensory").build());
      ctx.enqueueChild(JobRequest.builder("reply").lane("cognition").build());
    });
    engine.handler("search", ctx -> {});
    engine.handler("reply", ctx -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("provider overloaded");
      }
    });
  }

  private JsonNode awaitTrace(String id, int jobs) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> {
          Reply r = api.get("/api/v1/traces/" + id);
          return r.status() == 200
              && r.json().get("jobs").size() == jobs
              && countEvents(r.json(), "finished") == jobs;
        });
    return api.get("/api/v1/traces/" + id).json();
  }

  private static long countEvents(JsonNode trace, String kind) {
    long n = 0;
    for (JsonNode e : trace.get("events")) {
      if (e.get("event").asText().equals(kind)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void a_trace_shows_every_job_of_a_request_with_parent_and_children_and_their_events_in_time_order() {
    Reply enqueued =
        api.send(
            api.request("/api/v1/jobs")
                .header("Content-Type", "application/json")
                .header("X-Correlation-Id", "req-trace-1")
                .POST(BodyPublishers.ofString("{\"type\":\"plan\",\"lane\":\"social\"}")));
    String root = enqueued.json().get("id").asText();

    JsonNode trace = awaitTrace("req-trace-1", 3);

    assertThat(trace.get("correlation_id").asText()).isEqualTo("req-trace-1");
    assertThat(trace.get("truncated").asBoolean()).isFalse();
    JsonNode jobs = trace.get("jobs");
    assertThat(jobs.get(0).get("id").asText()).isEqualTo(root);
    assertThat(jobs.get(0).get("parent_id").isNull()).isTrue();
    var children = new ArrayList<String>();
    jobs.get(0).get("children").forEach(c -> children.add(c.asText()));
    assertThat(children).containsExactly(jobs.get(1).get("id").asText(), jobs.get(2).get("id").asText());
    assertThat(jobs.get(1).get("parent_id").asText()).isEqualTo(root);
    assertThat(jobs.get(2).get("parent_id").asText()).isEqualTo(root);

    JsonNode events = trace.get("events");
    Instant last = Instant.MIN;
    for (JsonNode e : events) {
      Instant at = Instant.parse(e.get("at").asText());
      assertThat(at).isAfterOrEqualTo(last);
      last = at;
    }
    assertThat(events.get(0).get("event").asText()).isEqualTo("created");
    assertThat(events.get(0).get("job_id").asText()).isEqualTo(root);
    assertThat(countEvents(trace, "created")).isEqualTo(3);
    assertThat(countEvents(trace, "attempt_started")).isEqualTo(4);
    List<String> replyOutcomes = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.get("event").asText().equals("attempt_ended") && e.get("type").asText().equals("reply")) {
        replyOutcomes.add(e.get("outcome").asText() + ":" + e.path("error_type").asText(""));
      }
    }
    assertThat(replyOutcomes).containsExactly("failed:java.lang.IllegalStateException", "succeeded:");
  }

  @Test
  void an_unknown_correlation_id_is_404() {
    assertProblem(api.get("/api/v1/traces/no-such-request"), 404);
    assertProblem(api.get("/api/v1/traces/" + "x".repeat(300)), 404);
  }
}
