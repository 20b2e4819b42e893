package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Error groups end to end through a real server: an in-process handler failing, a remote worker
 * failing, then listing, reading, resolving, regressing, ignoring and unresolving over HTTP.
 */
class ErrorsApiTest extends ServerTestSupport {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACEBACK =
      """
      Traceback (most recent call last):
        File "/app/workers/scrape.py", line 12, in run
          page = fetch(url)
        File "/app/workers/http.py", line 40, in fetch
          raise ValueError(f"bad page {n}")
      ValueError: bad page 42
      """;

  private final AtomicBoolean healthy = new AtomicBoolean();

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("reply", ctx -> {
      if (!healthy.get()) {
        throw new IllegalStateException("no reply for job " + ctx.jobId() + " on attempt " + ctx.attempt());
      }
    });
  }

  private String deadJob(String type) {
    String id = enqueue(type, "social").get("id").asText();
    await().atMost(WAIT).until(() -> state(id).equals("dead"));
    return id;
  }

  /** Waits until a group has {@code count} occurrences; answers its JSON from the list. */
  private JsonNode awaitGroup(String id, long count) {
    await().atMost(WAIT).until(() -> {
      Reply r = api.get("/api/v1/errors/" + id);
      return r.status() == 200 && r.json().get("count").asLong() == count;
    });
    return api.get("/api/v1/errors/" + id).json();
  }

  private JsonNode groups(String query) {
    Reply r = api.get("/api/v1/errors" + query);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("groups");
  }

  private static List<String> ids(JsonNode groups) {
    var out = new ArrayList<String>();
    groups.forEach(g -> out.add(g.get("id").asText()));
    return out;
  }

  private String remoteFailure(ObjectNode error) {
    String id = enqueue("scrape", "cognition").get("id").asText();
    JsonNode job = claim("py-1", "cognition").get(0);
    ObjectNode body = JSON.createObjectNode().put("lease_token", job.get("lease_token").asText()).put("retryable", false);
    body.set("error", error);
    Reply r = api.post("/api/v1/jobs/" + id + "/fail", body.toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("error_group_id").asText();
  }

  @Test
  void a_failing_handler_makes_one_group_that_jobs_and_attempts_link_to() {
    String jobId = deadJob("reply");

    JsonNode job = api.get("/api/v1/jobs/" + jobId).json();
    String groupId = job.get("error_group_id").asText();
    assertThat(groupId).matches("[0-9a-f]{16}");
    assertThat(job.get("attempts")).hasSize(3).allSatisfy(a -> assertThat(a.get("error_group_id").asText()).isEqualTo(groupId));
    JsonNode group = awaitGroup(groupId, 3);

    assertThat(group.get("title").asText()).startsWith("java.lang.IllegalStateException: no reply for job " + jobId);
    assertThat(group.get("error_type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(group.get("fingerprint").asText()).startsWith("java.lang.IllegalStateException\n");
    assertThat(group.get("count_24h").asLong()).isEqualTo(3);
    assertThat(group.get("hourly")).hasSize(24);
    assertThat(group.get("hourly").get(23).asLong()).isEqualTo(3);
    assertThat(group.get("job_types").toString()).isEqualTo("[\"reply\"]");
    assertThat(group.get("lanes").toString()).isEqualTo("[\"social\"]");
    assertThat(group.get("sample_job_ids").toString()).isEqualTo("[\"" + jobId + "\"]");
    assertThat(group.get("status").asText()).isEqualTo("unresolved");
    assertThat(group.get("regressed").asBoolean()).isFalse();
    assertThat(group.get("resolved_at").isNull()).isTrue();
    assertThat(group.get("first_seen").asText()).isNotBlank();
    assertThat(group.get("attempts")).hasSize(3);
    JsonNode last = group.get("attempts").get(0);
    assertThat(last.get("job_id").asText()).isEqualTo(jobId);
    assertThat(last.get("attempt").asInt()).isEqualTo(3);
    assertThat(last.get("outcome").asText()).isEqualTo("failed");
    assertThat(last.get("error").get("message").asText()).isEqualTo("no reply for job " + jobId + " on attempt 3");
    assertThat(api.get("/api/v1/jobs?state=dead").json().get("jobs").get(0).get("error_group_id").asText()).isEqualTo(groupId);

    deadJob("reply");
    awaitGroup(groupId, 6);
    assertThat(ids(groups(""))).containsExactly(groupId);
  }

  @Test
  void a_remote_workers_failures_are_grouped_by_traceback_or_by_its_own_fingerprint() {
    ObjectNode python = JSON.createObjectNode().put("type", "ValueError").put("message", "bad page 42").put("stack", TRACEBACK);
    String byStack = remoteFailure(python);
    String again = remoteFailure(python.deepCopy().put("message", "bad page 7").put("stack", TRACEBACK.replace("line 40", "line 41")));
    ObjectNode chosen = JSON.createObjectNode().put("type", "ProviderError").put("message", "503");
    chosen.putArray("fingerprint").add("provider-down").add("openai");
    String byFingerprint = remoteFailure(chosen);
    ObjectNode onePart = JSON.createObjectNode().put("type", "ProviderError").put("message", "429");
    onePart.putArray("fingerprint").add("quota");
    String byArray = remoteFailure(onePart);
    String byText = remoteFailure(JSON.createObjectNode().put("type", "QuotaError").put("message", "x").put("fingerprint", "quota"));

    assertThat(again).isEqualTo(byStack);
    assertThat(byFingerprint).isNotEqualTo(byStack).isNotEqualTo(byArray);
    assertThat(byText).as("a string is one part").isEqualTo(byArray);
    JsonNode stackGroup = awaitGroup(byStack, 2);
    assertThat(stackGroup.get("culprit").asText()).isEqualTo("workers.http in fetch");
    assertThat(stackGroup.get("fingerprint").asText()).isEqualTo("ValueError\nworkers.http in fetch\nworkers.scrape in run");
    assertThat(stackGroup.get("lanes").toString()).isEqualTo("[\"cognition\"]");
    assertThat(awaitGroup(byFingerprint, 1).get("fingerprint").asText()).isEqualTo("provider-down\nopenai");
    assertThat(awaitGroup(byArray, 2).get("job_types").toString()).isEqualTo("[\"scrape\"]");

    Reply bad = api.post("/api/v1/jobs/x/fail",
        "{\"lease_token\":\"t\",\"error\":{\"type\":\"E\",\"fingerprint\":[\"a\", 3]}}");
    assertProblem(bad, 400);
    assertThat(bad.text()).contains("error.fingerprint");
    assertThat(api.post("/api/v1/jobs/x/fail", "{\"lease_token\":\"t\",\"error\":{\"type\":\"E\",\"fingerprint\":[]}}").status())
        .isEqualTo(400);
  }

  @Test
  void resolving_regressing_ignoring_and_unresolving_through_http() {
    String groupId = api.get("/api/v1/jobs/" + deadJob("reply")).json().get("error_group_id").asText();
    awaitGroup(groupId, 3);

    Reply resolved = api.post("/api/v1/errors/" + groupId + "/resolve", "{\"by\":\"Ava L\"}");
    assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
    assertThat(resolved.json().get("status").asText()).isEqualTo("resolved");
    assertThat(resolved.json().get("resolved_by").asText()).isEqualTo("Ava L");
    assertThat(resolved.json().get("resolved_at").asText()).isNotBlank();
    assertThat(ids(groups("?status=resolved"))).containsExactly(groupId);
    assertThat(ids(groups("?status=unresolved"))).isEmpty();

    deadJob("reply"); // it happens again
    await().atMost(WAIT).until(() -> api.get("/api/v1/errors/" + groupId).json().get("regressed").asBoolean());
    JsonNode regressed = api.get("/api/v1/errors/" + groupId).json();
    assertThat(regressed.get("status").asText()).isEqualTo("unresolved");
    assertThat(regressed.get("resolved_at").isNull()).isTrue();
    assertThat(regressed.get("count").asLong()).isGreaterThanOrEqualTo(4);

    Reply ignored = api.send(api.request("/api/v1/errors/" + groupId + "/ignore")
        .header(ErrorsApi.ACTOR_HEADER, "oncall-bot").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(ignored.json().get("status").asText()).isEqualTo("ignored");
    Reply unresolved = api.post("/api/v1/errors/" + groupId + "/unresolve");
    assertThat(unresolved.json().get("status").asText()).isEqualTo("unresolved");
    assertThat(unresolved.json().get("regressed").asBoolean()).isFalse();
    Reply byDefault = api.post("/api/v1/errors/" + groupId + "/resolve");
    assertThat(byDefault.json().get("resolved_by").asText()).isEqualTo(ErrorsApi.DEFAULT_ACTOR);

    String scrape = api.get("/metrics").text();
    assertThat(scrape).contains("vigil_new_error_groups_total 1.0", "vigil_error_group_regressions_total 1.0",
        "vigil_error_group_resolution_seconds_count 2", "vigil_error_group_resolution_seconds_bucket{le=\"60.0\"}");
  }

  @Test
  void bad_requests_are_refused_and_unknown_groups_are_404() {
    assertProblem(api.get("/api/v1/errors/0000000000000000"), 404);
    assertProblem(api.post("/api/v1/errors/0000000000000000/resolve"), 404);
    assertProblem(api.get("/api/v1/errors?status=open"), 400);
    assertProblem(api.get("/api/v1/errors?colour=red"), 400);
    assertProblem(api.get("/api/v1/errors?limit=501"), 400);
    assertProblem(api.get("/api/v1/errors?since=yesterday"), 400);
    assertProblem(api.get("/api/v1/errors?cursor=nope"), 400);
    String groupId = api.get("/api/v1/jobs/" + deadJob("reply")).json().get("error_group_id").asText();
    awaitGroup(groupId, 3);
    Reply email = api.post("/api/v1/errors/" + groupId + "/resolve", "{\"by\":\"ava@example.com\"}");
    assertProblem(email, 400);
    assertThat(email.text()).doesNotContain("ava@example.com");
    assertProblem(api.post("/api/v1/errors/" + groupId + "/resolve", "{\"who\":\"ava\"}"), 400);
    assertThat(api.get("/api/v1/errors/" + groupId).json().get("status").asText()).isEqualTo("unresolved");
  }

  @Test
  void lists_filter_and_page_like_the_job_list() {
    String reply = api.get("/api/v1/jobs/" + deadJob("reply")).json().get("error_group_id").asText();
    String scrape = remoteFailure(JSON.createObjectNode().put("type", "ProviderError").put("message", "503 from 203.0.113.9"));
    awaitGroup(reply, 3);
    awaitGroup(scrape, 1);

    assertThat(new HashSet<>(ids(groups("")))).isEqualTo(Set.of(reply, scrape));
    assertThat(ids(groups("?lane=social"))).containsExactly(reply);
    assertThat(ids(groups("?type=scrape"))).containsExactly(scrape);
    assertThat(ids(groups("?error_type=ProviderError"))).containsExactly(scrape);
    assertThat(ids(groups("?since=-1h&status=unresolved,resolved"))).hasSize(2);
    assertThat(ids(groups("?since=2999-01-01T00:00:00Z"))).isEmpty();
    JsonNode first = api.get("/api/v1/errors?limit=1").json();
    assertThat(first.get("groups")).hasSize(1);
    String cursor = first.get("next_cursor").asText();
    JsonNode second = api.get("/api/v1/errors?limit=1&cursor=" + cursor).json();
    assertThat(second.get("groups")).hasSize(1);
    assertThat(second.get("next_cursor").isNull()).isTrue();
    assertThat(List.of(ids(first.get("groups")).get(0), ids(second.get("groups")).get(0)))
        .containsExactlyInAnyOrder(reply, scrape);
  }
}
