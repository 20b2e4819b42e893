package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JobsApiTest extends ServerTestSupport {
  private static final List<String> JOB_FIELDS =
      List.of(
          "id", "type", "lane", "state", "attempt", "max_attempts", "payload", "run_at", "timeout_ms",
          "unique_key", "correlation_id", "parent_id", "tags", "created_at", "started_at", "finished_at",
          "progress", "last_error", "result", "duplicate", "attempts", "cancel_requested");

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.maxPayloadBytes(1_000).maxBodyBytes(64_000);
  }

  static void assertProblem(Reply reply, int status) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    JsonNode p = reply.json();
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("type").asText()).startsWith("https://vigil.dev/problems/");
    assertThat(p.get("title").asText()).isNotBlank();
    assertThat(p.get("detail").asText()).isNotBlank();
  }

  static List<String> errorFields(Reply reply) {
    var out = new ArrayList<String>();
    reply.json().get("errors").forEach(e -> out.add(e.get("field").asText()));
    return out;
  }

  @Nested
  class Enqueue {
    @Test
    void a_new_job_answers_201_with_every_field_of_the_contract() {
      Reply reply =
          api.post(
              "/api/v1/jobs",
              """
              {"type":"generate_reply","lane":"cognition","payload":{"post_id":"p1","n":[1,2]},
               "run_at":null,"delay_ms":0,"max_attempts":5,"timeout_ms":20000,
               "unique_key":"reply:p1","correlation_id":"c-123","parent_id":null,"tags":["chat"]}
              """);

      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.contentType()).startsWith("application/json");
      JsonNode job = reply.json();
      assertThat(job.fieldNames()).toIterable().containsAll(JOB_FIELDS);
      assertThat(job.get("type").asText()).isEqualTo("generate_reply");
      assertThat(job.get("lane").asText()).isEqualTo("cognition");
      assertThat(job.get("state").asText()).isEqualTo("ready");
      assertThat(job.get("payload").get("post_id").asText()).isEqualTo("p1");
      assertThat(job.get("payload").get("n").isArray()).isTrue();
      assertThat(job.get("max_attempts").asInt()).isEqualTo(5);
      assertThat(job.get("timeout_ms").asLong()).isEqualTo(20_000);
      assertThat(job.get("unique_key").asText()).isEqualTo("reply:p1");
      assertThat(job.get("correlation_id").asText()).isEqualTo("c-123");
      assertThat(job.get("tags").get(0).asText()).isEqualTo("chat");
      assertThat(job.get("created_at").asText()).endsWith("Z");
      assertThat(job.get("duplicate").asBoolean()).isFalse();
      assertThat(job.get("cancel_requested").asBoolean()).isFalse();
    }

    @Test
    void only_type_is_required_and_the_lane_defaults_to_background() {
      Reply reply = api.post("/api/v1/jobs", "{\"type\":\"t\"}");

      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.json().get("lane").asText()).isEqualTo("background");
      assertThat(reply.json().get("payload").isNull()).isTrue();
    }

    @Test
    void a_delayed_job_is_scheduled() {
      Reply reply = api.post("/api/v1/jobs", "{\"type\":\"t\",\"delay_ms\":60000}");

      assertThat(reply.json().get("state").asText()).isEqualTo("scheduled");
    }

    @Test
    void an_active_unique_key_answers_200_with_the_existing_job_flagged_duplicate() {
      String body = "{\"type\":\"t\",\"unique_key\":\"k1\"}";
      Reply first = api.post("/api/v1/jobs", body);
      Reply second = api.post("/api/v1/jobs", body);

      assertThat(first.status()).isEqualTo(201);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.json().get("duplicate").asBoolean()).isTrue();
      assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).hasSize(1);
    }

    @Test
    void every_invalid_field_is_named_in_one_400() {
      Reply reply =
          api.post(
              "/api/v1/jobs",
              "{\"lane\":\"nope\",\"delay_ms\":-1,\"max_attempts\":101,\"timeout_ms\":0}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("type", "lane", "delay_ms", "max_attempts", "timeout_ms");
      assertThat(api.get("/api/v1/stats").json().get("jobs").get("total").asLong()).isZero();
    }

    @Test
    void a_run_at_that_is_not_an_rfc_3339_time_is_refused() {
      assertThat(errorFields(api.post("/api/v1/jobs", "{\"type\":\"t\",\"run_at\":\"tomorrow\"}"))).containsExactly("run_at");
    }

    @Test
    void max_attempts_below_one_is_refused() {
      assertThat(errorFields(api.post("/api/v1/jobs", "{\"type\":\"t\",\"max_attempts\":0}"))).containsExactly("max_attempts");
    }

    @Test
    void unknown_and_wrongly_typed_fields_are_refused() {
      Reply reply = api.post("/api/v1/jobs", "{\"type\":\"t\",\"colour\":\"red\",\"max_attempts\":\"3\",\"tags\":\"x\"}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("colour", "max_attempts", "tags");
    }

    @Test
    void malformed_json_is_a_400_that_does_not_echo_the_body() {
      Reply reply = api.post("/api/v1/jobs", "{\"type\":\"secret-value\",");

      assertProblem(reply, 400);
      assertThat(reply.json().get("type").asText()).endsWith("/malformed-json");
      assertThat(reply.text()).doesNotContain("secret-value");
    }

    @Test
    void a_body_that_is_not_an_object_is_refused() {
      assertProblem(api.post("/api/v1/jobs", "[1,2]"), 400);
      assertProblem(api.post("/api/v1/jobs", ""), 400);
    }

    @Test
    void a_payload_over_the_engine_limit_is_413_and_stores_nothing() {
      String big = "x".repeat(2_000);
      Reply reply = api.post("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"text\":\"" + big + "\"}}");

      assertProblem(reply, 413);
      assertThat(errorFields(reply)).containsExactly("payload");
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    }

    @Test
    void a_body_that_is_not_json_is_415() {
      Reply reply = api.post("/api/v1/jobs", "text/plain", java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"t\"}"));

      assertProblem(reply, 415);
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    }

    @Test
    void json_with_a_charset_parameter_is_accepted() {
      Reply reply =
          api.post("/api/v1/jobs", "application/json; charset=utf-8", java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"t\"}"));

      assertThat(reply.status()).isEqualTo(201);
    }
  }

  @Nested
  class Batch {
    @Test
    void a_valid_batch_stores_every_job_in_order_with_duplicates_flagged() {
      api.post("/api/v1/jobs", "{\"type\":\"t\",\"unique_key\":\"dup\"}");
      Reply reply =
          api.post(
              "/api/v1/jobs/batch",
              "{\"jobs\":[{\"type\":\"a\"},{\"type\":\"b\",\"lane\":\"social\"},{\"type\":\"t\",\"unique_key\":\"dup\"}]}");

      assertThat(reply.status()).isEqualTo(201);
      JsonNode jobs = reply.json().get("jobs");
      assertThat(jobs).hasSize(3);
      assertThat(jobs.get(0).get("type").asText()).isEqualTo("a");
      assertThat(jobs.get(1).get("lane").asText()).isEqualTo("social");
      assertThat(jobs.get(2).get("duplicate").asBoolean()).isTrue();
      assertThat(jobs.get(0).get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void one_invalid_job_refuses_the_whole_batch_naming_its_index() {
      Reply reply =
          api.post(
              "/api/v1/jobs/batch",
              "{\"jobs\":[{\"type\":\"a\"},{\"type\":\"b\",\"lane\":\"nope\"},{\"type\":\"c\"},{\"lane\":\"social\"}]}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("jobs[1].lane", "jobs[3].type");
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    }

    @Test
    void a_wrongly_typed_field_in_one_job_refuses_the_batch() {
      Reply reply = api.post("/api/v1/jobs/batch", "{\"jobs\":[{\"type\":\"a\"},{\"type\":\"b\",\"tags\":7}]}");

      assertThat(errorFields(reply)).containsExactly("jobs[1].tags");
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    }

    @Test
    void one_payload_over_the_limit_refuses_the_batch_with_413() {
      String big = "y".repeat(2_000);
      Reply reply =
          api.post("/api/v1/jobs/batch", "{\"jobs\":[{\"type\":\"a\"},{\"type\":\"b\",\"payload\":\"" + big + "\"}]}");

      assertProblem(reply, 413);
      assertThat(errorFields(reply)).containsExactly("jobs[1].payload");
      assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    }

    @Test
    void more_than_a_thousand_jobs_are_refused() {
      String jobs = IntStream.range(0, 1_001).mapToObj(i -> "{\"type\":\"t\"}").collect(Collectors.joining(","));
      Reply reply = api.post("/api/v1/jobs/batch", "{\"jobs\":[" + jobs + "]}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactly("jobs");
    }

    @Test
    void a_thousand_jobs_are_accepted() {
      String jobs = IntStream.range(0, 1_000).mapToObj(i -> "{\"type\":\"t\"}").collect(Collectors.joining(","));
      Reply reply = api.post("/api/v1/jobs/batch", "{\"jobs\":[" + jobs + "]}");

      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.json().get("jobs")).hasSize(1_000);
    }

    @Test
    void an_empty_or_missing_list_is_refused() {
      assertThat(errorFields(api.post("/api/v1/jobs/batch", "{\"jobs\":[]}"))).containsExactly("jobs");
      assertThat(errorFields(api.post("/api/v1/jobs/batch", "{}"))).containsExactly("jobs");
      assertThat(errorFields(api.post("/api/v1/jobs/batch", "{\"jobs\":[],\"x\":1}"))).contains("x");
    }
  }

  @Nested
  class Read {
    @Test
    void a_job_is_read_back_by_id() {
      String id = enqueue("t", "social").get("id").asText();

      Reply reply = api.get("/api/v1/jobs/" + id);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().fieldNames()).toIterable().containsAll(JOB_FIELDS);
      assertThat(reply.json().get("attempts").isArray()).isTrue();
    }

    @Test
    void an_unknown_job_is_404() {
      assertProblem(api.get("/api/v1/jobs/no-such-job"), 404);
    }

    @Test
    void a_failed_attempt_appears_with_its_outcome_worker_and_error() {
      String id = enqueue("t", "cognition").get("id").asText();
      String token = claim("w1", "cognition").get(0).get("lease_token").asText();
      api.post("/api/v1/jobs/" + id + "/fail", "{\"lease_token\":\"" + token + "\",\"error\":{\"type\":\"Boom\",\"message\":\"bad\"}}");

      JsonNode job = api.get("/api/v1/jobs/" + id).json();

      assertThat(job.get("attempts")).hasSize(1);
      JsonNode attempt = job.get("attempts").get(0);
      assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
      assertThat(attempt.get("outcome").asText()).isEqualTo("failed");
      assertThat(attempt.get("worker_id").asText()).isEqualTo("w1");
      assertThat(attempt.get("error").get("type").asText()).isEqualTo("Boom");
      assertThat(attempt.get("started_at").asText()).endsWith("Z");
      assertThat(job.get("last_error").get("message").asText()).isEqualTo("bad");
    }
  }

  @Nested
  class List_ {
    @Test
    void jobs_are_listed_newest_first_and_paged_with_a_cursor() {
      var ids = new ArrayList<String>();
      for (int i = 0; i < 5; i++) {
        ids.add(enqueue("t", "background").get("id").asText());
      }
      var seen = new ArrayList<String>();
      String cursor = null;
      do {
        Reply page = api.get("/api/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(page.status()).isEqualTo(200);
        page.json().get("jobs").forEach(j -> seen.add(j.get("id").asText()));
        JsonNode next = page.json().get("next_cursor");
        cursor = next.isNull() ? null : next.asText();
      } while (cursor != null);

      assertThat(seen).containsExactlyElementsOf(ids.reversed());
    }

    @Test
    void filters_by_state_lane_type_and_correlation_id() {
      api.post("/api/v1/jobs", "{\"type\":\"a\",\"lane\":\"social\",\"correlation_id\":\"c1\"}");
      api.post("/api/v1/jobs", "{\"type\":\"b\",\"lane\":\"social\"}");
      api.post("/api/v1/jobs", "{\"type\":\"a\",\"lane\":\"cognition\",\"delay_ms\":60000}");

      assertThat(api.get("/api/v1/jobs?lane=social").json().get("jobs")).hasSize(2);
      assertThat(api.get("/api/v1/jobs?type=a").json().get("jobs")).hasSize(2);
      assertThat(api.get("/api/v1/jobs?correlation_id=c1").json().get("jobs")).hasSize(1);
      assertThat(api.get("/api/v1/jobs?state=scheduled").json().get("jobs")).hasSize(1);
      assertThat(api.get("/api/v1/jobs?state=ready,scheduled").json().get("jobs")).hasSize(3);
      assertThat(api.get("/api/v1/jobs?state=ready&state=scheduled").json().get("jobs")).hasSize(3);
      assertThat(api.get("/api/v1/jobs?state=dead").json().get("jobs")).isEmpty();
    }

    @Test
    void filters_by_creation_time() {
      enqueue("t", "background");

      assertThat(api.get("/api/v1/jobs?since=2000-01-01T00:00:00Z").json().get("jobs")).hasSize(1);
      assertThat(api.get("/api/v1/jobs?until=2000-01-01T00:00:00Z").json().get("jobs")).isEmpty();
    }

    @Test
    void bad_query_parameters_are_each_named() {
      Reply reply = api.get("/api/v1/jobs?state=sleeping&limit=501&since=now&stat=ready");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("state", "limit", "since", "stat");
    }

    @Test
    void a_cursor_that_was_never_issued_is_refused() {
      assertThat(errorFields(api.get("/api/v1/jobs?cursor=bogus"))).containsExactly("cursor");
    }
  }

  @Nested
  class CancelAndRetry {
    @Test
    void a_ready_job_is_cancelled_at_once() {
      String id = enqueue("t", "background").get("id").asText();

      Reply reply = api.post("/api/v1/jobs/" + id + "/cancel");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().get("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void a_running_job_gets_cancel_requested_and_its_worker_hears_it() {
      String id = enqueue("t", "cognition").get("id").asText();
      String token = claim("w", "cognition").get(0).get("lease_token").asText();

      Reply reply = api.post("/api/v1/jobs/" + id + "/cancel");
      Reply beat = api.post("/api/v1/jobs/" + id + "/heartbeat", "{\"lease_token\":\"" + token + "\"}");

      assertThat(reply.json().get("state").asText()).isEqualTo("running");
      assertThat(reply.json().get("cancel_requested").asBoolean()).isTrue();
      assertThat(beat.json().get("cancel_requested").asBoolean()).isTrue();
    }

    @Test
    void cancelling_a_finished_job_is_409() {
      String id = enqueue("t", "background").get("id").asText();
      api.post("/api/v1/jobs/" + id + "/cancel");

      assertProblem(api.post("/api/v1/jobs/" + id + "/cancel"), 409);
    }

    @Test
    void a_cancelled_job_is_retried_back_to_ready() {
      String id = enqueue("t", "background").get("id").asText();
      api.post("/api/v1/jobs/" + id + "/cancel");

      Reply reply = api.post("/api/v1/jobs/" + id + "/retry");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().get("state").asText()).isEqualTo("ready");
    }

    @Test
    void retrying_a_ready_job_is_409() {
      String id = enqueue("t", "background").get("id").asText();

      assertProblem(api.post("/api/v1/jobs/" + id + "/retry"), 409);
    }

    @Test
    void cancel_and_retry_of_an_unknown_job_are_404() {
      assertProblem(api.post("/api/v1/jobs/nope/cancel"), 404);
      assertProblem(api.post("/api/v1/jobs/nope/retry"), 404);
    }
  }
}
