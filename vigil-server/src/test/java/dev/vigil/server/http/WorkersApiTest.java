package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static dev.vigil.server.http.JobsApiTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.job.RetryPolicy;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkersApiTest extends ServerTestSupport {

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.retry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO));
  }

  private Reply post(String path, String json) {
    return api.post(path, json);
  }

  private static String body(String token) {
    return "{\"lease_token\":\"" + token + "\"}";
  }

  @Nested
  class Claim {
    @Test
    void a_claim_hands_out_the_job_with_its_lease() {
      String id =
          post("/api/v1/jobs", "{\"type\":\"generate_reply\",\"lane\":\"cognition\",\"payload\":{\"post_id\":\"p1\"},\"correlation_id\":\"c-1\"}")
              .json().get("id").asText();

      Reply reply = post("/api/v1/claim", "{\"worker_id\":\"py-1\",\"lanes\":[\"cognition\"],\"max\":10,\"wait_ms\":0,\"lease_ms\":20000}");

      assertThat(reply.status()).isEqualTo(200);
      JsonNode jobs = reply.json().get("jobs");
      assertThat(jobs).hasSize(1);
      JsonNode job = jobs.get(0);
      assertThat(job.get("id").asText()).isEqualTo(id);
      assertThat(job.get("type").asText()).isEqualTo("generate_reply");
      assertThat(job.get("lane").asText()).isEqualTo("cognition");
      assertThat(job.get("payload").get("post_id").asText()).isEqualTo("p1");
      assertThat(job.get("attempt").asInt()).isEqualTo(1);
      assertThat(job.get("lease_token").asText()).isNotBlank();
      assertThat(Instant.parse(job.get("lease_expires_at").asText())).isAfter(Instant.now().plusSeconds(10));
      assertThat(job.get("timeout_ms").asLong()).isEqualTo(15_000);
      assertThat(job.get("correlation_id").asText()).isEqualTo("c-1");
      JsonNode stored = api.get("/api/v1/jobs/" + id).json();
      assertThat(stored.get("state").asText()).isEqualTo("running");
      assertThat(stored.toString()).doesNotContain(job.get("lease_token").asText());
    }

    @Test
    void an_empty_list_comes_back_when_the_wait_passes_with_no_work() {
      Reply reply = post("/api/v1/claim", "{\"worker_id\":\"py-1\",\"wait_ms\":200}");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().get("jobs")).isEmpty();
    }

    @Test
    void a_waiting_claim_is_woken_by_an_enqueue_long_before_its_wait_passes() throws Exception {
      CompletableFuture<Reply> waiting =
          api.postAsync("/api/v1/claim", "{\"worker_id\":\"py-1\",\"lanes\":[\"social\"],\"wait_ms\":30000}");
      await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 1);

      String id = enqueue("t", "social").get("id").asText();

      Reply reply = waiting.get(5, TimeUnit.SECONDS);
      assertThat(reply.json().get("jobs")).hasSize(1);
      assertThat(reply.json().get("jobs").get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    void a_claim_takes_only_the_lanes_and_types_it_asks_for() {
      enqueue("a", "cognition");
      enqueue("b", "cognition");
      enqueue("a", "social");

      JsonNode jobs = post("/api/v1/claim", "{\"worker_id\":\"w\",\"lanes\":[\"cognition\"],\"types\":[\"a\"],\"max\":10}").json().get("jobs");

      assertThat(jobs).hasSize(1);
      assertThat(jobs.get(0).get("lane").asText()).isEqualTo("cognition");
      assertThat(jobs.get(0).get("type").asText()).isEqualTo("a");
    }

    @Test
    void a_paused_lane_gives_nothing_until_it_is_resumed() {
      api.post("/api/v1/lanes/social/pause");
      enqueue("t", "social");

      assertThat(post("/api/v1/claim", "{\"worker_id\":\"w\",\"lanes\":[\"social\"]}").json().get("jobs")).isEmpty();

      api.post("/api/v1/lanes/social/resume");
      assertThat(post("/api/v1/claim", "{\"worker_id\":\"w\",\"lanes\":[\"social\"]}").json().get("jobs")).hasSize(1);
    }

    @Test
    void higher_lanes_are_served_first() {
      enqueue("t", "background");
      String chat = enqueue("t", "cognition").get("id").asText();

      JsonNode jobs = post("/api/v1/claim", "{\"worker_id\":\"w\",\"max\":1}").json().get("jobs");

      assertThat(jobs).hasSize(1);
      assertThat(jobs.get(0).get("id").asText()).isEqualTo(chat);
    }

    @Test
    void bad_claims_name_every_bad_field() {
      Reply reply = post("/api/v1/claim", "{\"max\":0,\"wait_ms\":-1,\"lease_ms\":10,\"lanes\":[\"nope\"],\"colour\":1}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).contains("worker_id", "colour");
      Reply engine = post("/api/v1/claim", "{\"worker_id\":\"w\",\"max\":0,\"wait_ms\":-1,\"lease_ms\":10,\"lanes\":[\"nope\"]}");
      assertThat(errorFields(engine)).containsExactlyInAnyOrder("max", "wait_ms", "lease_ms", "lanes");
      Reply slots = post("/api/v1/claim", "{\"worker_id\":\"w\",\"slots\":0}");
      assertThat(errorFields(slots)).containsExactly("slots");
      assertThat(errorFields(post("/api/v1/claim", "{\"worker_id\":\"w\",\"slots\":\"many\"}"))).containsExactly("slots");
    }
  }

  @Nested
  class Reports {
    @Test
    void a_heartbeat_extends_the_lease_and_records_progress() {
      String id = enqueue("t", "cognition").get("id").asText();
      JsonNode claimed = claim("w", "cognition").get(0);
      String token = claimed.get("lease_token").asText();

      Reply reply =
          post("/api/v1/jobs/" + id + "/heartbeat",
              "{\"lease_token\":\"" + token + "\",\"progress\":0.4,\"message\":\"halfway\",\"lease_ms\":120000}");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(Instant.parse(reply.json().get("lease_expires_at").asText())).isAfter(Instant.now().plusSeconds(100));
      assertThat(reply.json().get("cancel_requested").asBoolean()).isFalse();
      JsonNode job = api.get("/api/v1/jobs/" + id).json();
      assertThat(job.get("progress").asDouble()).isEqualTo(0.4);
      assertThat(job.get("progress_message").asText()).isEqualTo("halfway");
    }

    @Test
    void a_heartbeat_with_bad_fields_is_400() {
      String id = enqueue("t", "cognition").get("id").asText();
      claim("w", "cognition");

      Reply reply = post("/api/v1/jobs/" + id + "/heartbeat", "{\"progress\":1.5,\"lease_ms\":5}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("lease_token", "progress", "lease_ms");
    }

    @Test
    void completing_stores_the_result_as_json() {
      String id = enqueue("t", "cognition").get("id").asText();
      String token = claim("w", "cognition").get(0).get("lease_token").asText();

      Reply reply = post("/api/v1/jobs/" + id + "/complete", "{\"lease_token\":\"" + token + "\",\"result\":{\"reply\":\"hi\",\"tokens\":12}}");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().get("state").asText()).isEqualTo("succeeded");
      assertThat(reply.json().get("result").get("tokens").asInt()).isEqualTo(12);
      assertThat(reply.json().get("finished_at").asText()).endsWith("Z");
    }

    @Test
    void a_retryable_failure_schedules_the_job_again_and_the_last_attempt_makes_it_dead() {
      String id = enqueue("t", "cognition").get("id").asText();
      String fail = "{\"lease_token\":\"%s\",\"error\":{\"type\":\"RateLimited\",\"message\":\"429\",\"stack\":\"at x\"}}";

      Reply first = post("/api/v1/jobs/" + id + "/fail", fail.formatted(claim("w", "cognition").get(0).get("lease_token").asText()));
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.json().get("state").asText()).isIn("scheduled", "ready");
      assertThat(first.json().get("last_error").get("type").asText()).isEqualTo("RateLimited");

      await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("ready"));
      Reply second = post("/api/v1/jobs/" + id + "/fail", fail.formatted(claim("w", "cognition").get(0).get("lease_token").asText()));
      assertThat(second.json().get("state").asText()).isEqualTo("dead");
      assertThat(api.get("/api/v1/jobs/" + id).json().get("attempts")).hasSize(2);
    }

    @Test
    void a_failure_marked_not_retryable_is_dead_at_once() {
      String id = enqueue("t", "cognition").get("id").asText();
      String token = claim("w", "cognition").get(0).get("lease_token").asText();

      Reply reply = post("/api/v1/jobs/" + id + "/fail",
          "{\"lease_token\":\"" + token + "\",\"error\":{\"type\":\"BadInput\"},\"retryable\":false}");

      assertThat(reply.json().get("state").asText()).isEqualTo("dead");
    }

    @Test
    void a_failure_without_an_error_type_is_400() {
      String id = enqueue("t", "cognition").get("id").asText();
      String token = claim("w", "cognition").get(0).get("lease_token").asText();

      assertThat(errorFields(post("/api/v1/jobs/" + id + "/fail", body(token)))).containsExactly("error");
      assertThat(errorFields(post("/api/v1/jobs/" + id + "/fail", "{\"lease_token\":\"" + token + "\",\"error\":{\"message\":\"m\"}}")))
          .containsExactly("error.type");
      assertThat(state(id)).isEqualTo("running");
    }

    @Test
    void reports_on_an_unknown_job_are_404() {
      assertProblem(post("/api/v1/jobs/nope/heartbeat", body("t")), 404);
      assertProblem(post("/api/v1/jobs/nope/complete", body("t")), 404);
      assertProblem(post("/api/v1/jobs/nope/fail", "{\"lease_token\":\"t\",\"error\":{\"type\":\"x\"}}"), 404);
    }
  }

  @Nested
  class Leases {
    @Test
    void a_stale_worker_gets_409_on_every_report_and_changes_nothing() {
      String id = enqueue("t", "cognition").get("id").asText();
      String token = claim("w", "cognition").get(0).get("lease_token").asText();
      String stale = token + "-stale";
      JsonNode before = api.get("/api/v1/jobs/" + id).json();

      Reply beat = post("/api/v1/jobs/" + id + "/heartbeat", "{\"lease_token\":\"" + stale + "\",\"progress\":0.9}");
      Reply done = post("/api/v1/jobs/" + id + "/complete", "{\"lease_token\":\"" + stale + "\",\"result\":1}");
      Reply fail = post("/api/v1/jobs/" + id + "/fail", "{\"lease_token\":\"" + stale + "\",\"error\":{\"type\":\"x\"}}");

      assertProblem(beat, 409);
      assertProblem(done, 409);
      assertProblem(fail, 409);
      assertThat(done.json().get("type").asText()).endsWith("/lease-lost");
      JsonNode after = api.get("/api/v1/jobs/" + id).json();
      assertThat(after).isEqualTo(before);
    }

    @Test
    void a_job_whose_lease_expires_is_rescued_and_its_old_worker_is_fenced_off() {
      String id = enqueue("t", "cognition").get("id").asText();
      String oldToken =
          post("/api/v1/claim", "{\"worker_id\":\"dies\",\"lanes\":[\"cognition\"],\"lease_ms\":1000}")
              .json().get("jobs").get(0).get("lease_token").asText();

      await().atMost(Duration.ofSeconds(15)).until(() -> !state(id).equals("running"));
      var rescued = new ArrayList<JsonNode>();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        claim("survivor", "cognition").forEach(rescued::add);
        return !rescued.isEmpty();
      });

      assertThat(rescued.get(0).get("id").asText()).isEqualTo(id);
      assertThat(rescued.get(0).get("attempt").asInt()).isEqualTo(2);
      JsonNode attempts = api.get("/api/v1/jobs/" + id).json().get("attempts");
      assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("lease_expired");
      assertThat(attempts.get(0).get("worker_id").asText()).isEqualTo("dies");
      assertProblem(post("/api/v1/jobs/" + id + "/complete", body(oldToken)), 409);
      String newToken = rescued.get(0).get("lease_token").asText();
      assertThat(post("/api/v1/jobs/" + id + "/complete", body(newToken)).json().get("state").asText()).isEqualTo("succeeded");
    }
  }
}
