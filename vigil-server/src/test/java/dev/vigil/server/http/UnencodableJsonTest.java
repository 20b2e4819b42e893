package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static dev.vigil.server.http.JobsApiTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JSON that parses but cannot be stored or written back as it came: a string holding an unpaired
 * UTF-16 surrogate (<code>"&#92;ud800"</code>, valid JSON escape syntax, but no Unicode text: UTF-8 cannot
 * encode it, so it was stored as {@code ?} and the answer failed with 500 after the write), and a
 * number beyond a 64-bit float ({@code 1e999999} turned into the string {@code "Infinity"}). Each
 * is refused with 400 naming the field, before anything is stored.
 */
class UnencodableJsonTest extends ServerTestSupport {
  private static final String LONE_HIGH = "\\ud800";
  private static final String LONE_LOW = "\\udc00";

  private long rows(String table) {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("vigil.db"));
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertRefused(String path, String body, String field) {
    long jobs = rows("jobs");
    long schedules = rows("schedules");

    Reply reply = api.post(path, body);

    assertProblem(reply, 400);
    assertThat(errorFields(reply)).as(body).containsExactly(field);
    assertThat(rows("jobs")).as("jobs stored by " + body).isEqualTo(jobs);
    assertThat(rows("schedules")).as("schedules stored by " + body).isEqualTo(schedules);
  }

  @Test
  void an_unpaired_surrogate_in_a_payload_string_is_refused_naming_it_and_stores_nothing() {
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"s\":\"" + LONE_HIGH + "\"}}", "payload.s");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"s\":\"" + LONE_LOW + "x\"}}", "payload.s");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"s\":\"" + LONE_LOW + LONE_HIGH + "\"}}", "payload.s");
    assertRefused(
        "/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"a\":[1,{\"b\":\"ok " + LONE_HIGH + "\"}]}}", "payload.a[1].b");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":\"" + LONE_HIGH + "\"}", "payload");
  }

  @Test
  void an_unpaired_surrogate_in_a_payload_key_is_refused_naming_the_object() {
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"" + LONE_HIGH + "\":1}}", "payload");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"o\":{\"k" + LONE_LOW + "\":1}}}", "payload.o");
  }

  @Test
  void a_number_beyond_a_64_bit_float_is_refused_rather_than_stored_as_the_string_infinity() {
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"n\":1e999999}}", "payload.n");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":{\"n\":-1e999999}}", "payload.n");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"payload\":1e400}", "payload");
  }

  @Test
  void other_fields_are_held_to_the_same_rule() {
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"unique_key\":\"k" + LONE_HIGH + "\"}", "unique_key");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"tags\":[\"ok\",\"" + LONE_HIGH + "\"]}", "tags[1]");
    assertRefused("/api/v1/jobs", "{\"type\":\"t\",\"correlation_id\":\"" + LONE_LOW + "\"}", "correlation_id");
  }

  @Test
  void one_bad_job_of_a_batch_refuses_the_batch_and_stores_nothing() {
    assertRefused(
        "/api/v1/jobs/batch",
        "{\"jobs\":[{\"type\":\"t\"},{\"type\":\"t\",\"payload\":{\"s\":\"" + LONE_HIGH + "\"}}]}",
        "jobs[1].payload.s");
  }

  @Test
  void a_schedule_whose_job_cannot_be_stored_is_refused() {
    assertRefused(
        "/api/v1/schedules",
        "{\"name\":\"d\",\"cron\":\"0 8 * * *\",\"job\":{\"type\":\"t\",\"payload\":{\"s\":\"" + LONE_HIGH + "\"}}}",
        "job.payload.s");
  }

  @Test
  void a_result_or_error_that_cannot_be_stored_leaves_the_running_job_as_it_was() {
    String id = enqueue("t", "cognition").get("id").asText();
    String token = claim("w", "cognition").get(0).get("lease_token").asText();

    assertRefused(
        "/api/v1/jobs/" + id + "/complete",
        "{\"lease_token\":\"" + token + "\",\"result\":{\"reply\":\"" + LONE_HIGH + "\"}}",
        "result.reply");
    assertRefused(
        "/api/v1/jobs/" + id + "/fail",
        "{\"lease_token\":\"" + token + "\",\"error\":{\"type\":\"E\",\"message\":\"" + LONE_HIGH + "\"}}",
        "error.message");

    assertThat(state(id)).isEqualTo("running");
    Reply done = api.post("/api/v1/jobs/" + id + "/complete", "{\"lease_token\":\"" + token + "\",\"result\":{\"n\":1}}");
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
  }

  @Test
  void valid_unicode_and_large_but_finite_numbers_are_stored_and_read_back_as_sent() {
    Reply reply =
        api.post(
            "/api/v1/jobs",
            "{\"type\":\"t\",\"payload\":{\"emoji\":\"\\ud83d\\ude00\",\"raw\":\"😀 é\",\"big\":123456789012345678901234567890,"
                + "\"max\":1.7976931348623157e308,\"tiny\":4.9e-324}}");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    JsonNode payload = api.get("/api/v1/jobs/" + reply.json().get("id").asText()).json().get("payload");
    assertThat(payload.get("emoji").asText()).isEqualTo("😀");
    assertThat(payload.get("raw").asText()).isEqualTo("😀 é");
    assertThat(payload.get("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    assertThat(payload.get("max").doubleValue()).isEqualTo(Double.MAX_VALUE);
    assertThat(payload.get("tiny").doubleValue()).isEqualTo(Double.MIN_VALUE);
    assertThat(Map.of("rows", rows("jobs"))).containsEntry("rows", 1L);
  }
}
