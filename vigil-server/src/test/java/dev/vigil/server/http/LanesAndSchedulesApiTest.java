package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static dev.vigil.server.http.JobsApiTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.util.ArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LanesAndSchedulesApiTest extends ServerTestSupport {

  @Nested
  class Lanes {
    @Test
    void lanes_are_listed_in_priority_order_with_their_depth() {
      enqueue("t", "social");
      api.post("/api/v1/jobs", "{\"type\":\"t\",\"lane\":\"social\",\"delay_ms\":60000}");

      Reply reply = api.get("/api/v1/lanes");

      assertThat(reply.status()).isEqualTo(200);
      JsonNode lanes = reply.json();
      assertThat(lanes.isArray()).isTrue();
      var names = new ArrayList<String>();
      lanes.forEach(l -> names.add(l.get("name").asText()));
      assertThat(names).containsExactly("cognition", "social", "sensory", "background");
      JsonNode social = lanes.get(1);
      assertThat(social.get("weight").asInt()).isEqualTo(4);
      assertThat(social.get("max_concurrency").isNull()).isTrue();
      assertThat(social.get("reserved").asInt()).isEqualTo(1);
      assertThat(social.get("paused").asBoolean()).isFalse();
      assertThat(social.get("depth").get("ready").asLong()).isEqualTo(1);
      assertThat(social.get("depth").get("scheduled").asLong()).isEqualTo(1);
      assertThat(social.get("depth").get("running").asLong()).isZero();
      assertThat(social.get("oldest_ready_age_ms").asLong()).isNotNegative();
      assertThat(lanes.get(0).get("oldest_ready_age_ms").isNull()).isTrue();
    }

    @Test
    void a_paused_lane_accepts_jobs_and_shows_paused_until_resumed() {
      Reply paused = api.post("/api/v1/lanes/sensory/pause");
      Reply accepted = api.post("/api/v1/jobs", "{\"type\":\"t\",\"lane\":\"sensory\"}");

      assertThat(paused.status()).isEqualTo(200);
      assertThat(paused.json().get("paused").asBoolean()).isTrue();
      assertThat(accepted.status()).isEqualTo(201);
      assertThat(api.get("/api/v1/lanes").json().get(2).get("paused").asBoolean()).isTrue();

      Reply resumed = api.post("/api/v1/lanes/sensory/resume");
      assertThat(resumed.json().get("paused").asBoolean()).isFalse();
    }

    @Test
    void an_unknown_lane_is_404() {
      assertProblem(api.post("/api/v1/lanes/nope/pause"), 404);
      assertProblem(api.post("/api/v1/lanes/nope/resume"), 404);
    }
  }

  @Nested
  class Schedules {
    private static final String DIGEST =
        """
        {"name":"daily_digest","cron":"0 8 * * *","timezone":"Europe/Paris",
         "job":{"type":"digest","lane":"background","payload":{"kind":"daily"},"max_attempts":2}}
        """;

    @Test
    void a_new_schedule_is_201_and_the_same_name_again_replaces_it_with_200() {
      Reply created = api.post("/api/v1/schedules", DIGEST);
      Reply replaced = api.post("/api/v1/schedules", DIGEST.replace("0 8 * * *", "30 9 * * 1-5"));

      assertThat(created.status()).isEqualTo(201);
      JsonNode s = created.json();
      assertThat(s.get("name").asText()).isEqualTo("daily_digest");
      assertThat(s.get("cron").asText()).isEqualTo("0 8 * * *");
      assertThat(s.get("timezone").asText()).isEqualTo("Europe/Paris");
      assertThat(s.get("job").get("type").asText()).isEqualTo("digest");
      assertThat(s.get("job").get("payload").get("kind").asText()).isEqualTo("daily");
      assertThat(s.get("next_fire_at").asText()).endsWith("Z");
      assertThat(s.get("last_fired_at").isNull()).isTrue();
      assertThat(replaced.status()).isEqualTo(200);
      assertThat(replaced.json().get("cron").asText()).isEqualTo("30 9 * * 1-5");
    }

    @Test
    void schedules_are_listed_read_and_deleted() {
      api.post("/api/v1/schedules", DIGEST);

      assertThat(api.get("/api/v1/schedules").json().get("schedules")).hasSize(1);
      assertThat(api.get("/api/v1/schedules/daily_digest").json().get("name").asText()).isEqualTo("daily_digest");
      assertThat(api.delete("/api/v1/schedules/daily_digest").status()).isEqualTo(204);
      assertProblem(api.get("/api/v1/schedules/daily_digest"), 404);
      assertProblem(api.delete("/api/v1/schedules/daily_digest"), 404);
      assertThat(api.get("/api/v1/schedules").json().get("schedules")).isEmpty();
    }

    @Test
    void the_time_zone_defaults_to_utc() {
      Reply reply = api.post("/api/v1/schedules", "{\"name\":\"n\",\"cron\":\"*/5 * * * *\",\"job\":{\"type\":\"t\"}}");

      assertThat(reply.json().get("timezone").asText()).isEqualTo("UTC");
    }

    @Test
    void an_invalid_cron_is_400_naming_cron() {
      Reply reply = api.post("/api/v1/schedules", DIGEST.replace("0 8 * * *", "every morning"));

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactly("cron");
      assertThat(api.get("/api/v1/schedules").json().get("schedules")).isEmpty();
    }

    @Test
    void an_unknown_time_zone_is_400_naming_timezone() {
      Reply reply = api.post("/api/v1/schedules", DIGEST.replace("Europe/Paris", "Mars/Olympus"));

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactly("timezone");
    }

    @Test
    void a_bad_job_template_is_400_naming_its_fields_under_job() {
      Reply reply = api.post("/api/v1/schedules", "{\"name\":\"n\",\"cron\":\"0 8 * * *\",\"job\":{\"lane\":\"nope\"}}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("job.type", "job.lane");
    }

    @Test
    void missing_and_unknown_fields_are_named() {
      Reply reply = api.post("/api/v1/schedules", "{\"cron\":5,\"every\":\"day\"}");

      assertProblem(reply, 400);
      assertThat(errorFields(reply)).containsExactlyInAnyOrder("name", "cron", "job", "every");
    }
  }
}
