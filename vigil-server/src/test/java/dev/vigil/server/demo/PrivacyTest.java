package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.Span;
import dev.vigil.observe.Redactor;
import dev.vigil.server.ApiClient;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.LogCapture;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private by default, end to end: the demo workload runs in-process (fast profile) with personal
 * data and secrets planted in payloads, in thrown errors, in a handler's own log lines, in a remote
 * worker's failure (and its own fingerprint), progress message and span attributes; afterwards no
 * log line (text or JSON), no error stored behind the API, no error group (title, fingerprint,
 * culprit, last attempts), no trace and no {@code /metrics} scrape holds any of the planted
 * strings. The payloads themselves, the user's data, still hold them.
 *
 * <p>Free text (the planted chat message) is recognised only where it sits in a sensitive JSON
 * field ({@code message}, {@code prompt}, …) or under such a key as a span attribute: no pattern
 * can tell a sentence from any other.
 */
class PrivacyTest {
  private static final String EMAIL = "ava.lindqvist@example.com";
  private static final String PHONE = "+1 415 555 0134";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String IPV4 = "203.0.113.77";
  private static final String IPV6 = "2001:db8::8a2e:370:7334";
  private static final String API_KEY = "sk-proj-4fT9aQ1zXb7LmN2pQ8rS";
  private static final String BEARER = "eyJhbGciOiJIUzI1NiJ9abcdef";
  private static final String PASSWORD = "hunter2-correct-horse";
  private static final String MESSAGE = "I feel anxious about tomorrow";
  private static final List<String> PLANTED =
      List.of(EMAIL, PHONE, "4111111111111111", CARD, IPV4, IPV6, API_KEY, BEARER, PASSWORD, MESSAGE);

  private static final String PLANTED_PAYLOAD =
      ("{\"conversation_id\":\"conv-9\",\"user\":{\"email\":\"%s\",\"phone\":\"%s\"},\"message\":\"%s\","
              + "\"card\":\"%s\",\"client_ip\":\"%s\",\"password\":\"%s\"}")
          .formatted(EMAIL, PHONE, MESSAGE, CARD, IPV4, PASSWORD);

  private static final DemoWorkload.Settings FAST =
      new DemoWorkload.Settings(0.2, 0.05, 0.02, new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100)));

  @TempDir Path dir;
  private LogCapture logs;
  private VigilServer server;
  private ApiClient api;
  private LoadGenerator load;

  @BeforeEach
  void start() {
    logs = LogCapture.start(Redactor.defaults());
    server =
        VigilServer.start(
            ServerConfig.builder().port(0).dataDir(dir).shutdownGrace(Duration.ZERO).build(),
            engine -> {
              new DemoWorkload(FAST).register(engine);
              engine.handler("leaky_reply", PrivacyTest::leaky);
              engine.retryPolicy("leaky_reply", new RetryPolicy(2, Duration.ZERO, Duration.ZERO));
            });
    api = new ApiClient(server.url(), null);
    load = LoadGenerator.start(server.vigil(), new LoadGenerator.Profile(20, 8, 10, 3), new SplittableRandom(7));
  }

  @AfterEach
  void stop() {
    load.close();
    server.close();
    logs.close();
  }

  /** A careless handler: logs its payload, times a call with a leaky attribute, throws user data. */
  private static void leaky(dev.vigil.job.JobContext ctx) {
    Logger log = LoggerFactory.getLogger("dev.vigil.demo.Leaky");
    log.info("handling payload {}", ctx.payload());
    log.info("calling the model for {} from {} with key {} and Authorization: Bearer {}", EMAIL, IPV6, API_KEY, BEARER);
    try (Span span = ctx.span("llm_call")) {
      span.attribute("user", EMAIL).attribute("prompt", MESSAGE);
    }
    ctx.progress(0.5, "texting " + PHONE);
    var cause = new IllegalArgumentException("card " + CARD + " declined for " + IPV4);
    var failure = new IllegalStateException("reply to " + EMAIL + " at " + PHONE + " failed: " + ctx.payload(), cause);
    log.warn("giving up on this attempt", failure);
    throw failure;
  }

  @Test
  void no_planted_string_reaches_a_log_line_a_stored_error_a_trace_or_a_metric() {
    var planted = new ArrayList<String>();
    for (String type : List.of(DemoWorkload.CHAT, DemoWorkload.POST, DemoWorkload.ENRICH, DemoWorkload.DIGEST, "leaky_reply")) {
      for (int i = 0; i < 3; i++) {
        Reply r =
            api.send(
                api.request("/api/v1/jobs")
                    .header("Content-Type", "application/json")
                    .header("X-Correlation-Id", "privacy-" + type)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"%s\",\"lane\":\"cognition\",\"payload\":%s}".formatted(type, PLANTED_PAYLOAD))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        planted.add(r.json().get("id").asText());
      }
    }
    String remote = remoteWorkerLeaks();
    planted.add(remote);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> planted.stream().allMatch(id -> server.vigil().get(id).orElseThrow().state().isTerminal()));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> server.vigil().find(JobQuery.all().withStates(Set.of(JobState.DEAD)).withLimit(1)).jobs().size() > 0);
    load.close();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> errorGroups().contains("leaky_reply") && errorGroups().contains("remote_reply"));
    String stored = storedErrors();
    String groups = errorGroups();
    String traces = traces();
    Reply metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    String scrape = metrics.text();
    for (String secret : PLANTED) {
      assertThat(logs.text()).as("text logs").doesNotContain(secret);
      assertThat(logs.json()).as("JSON logs").doesNotContain(secret);
      assertThat(stored).as("stored errors, progress and spans").doesNotContain(secret);
      assertThat(groups).as("error groups").doesNotContain(secret);
      assertThat(traces).as("traces").doesNotContain(secret);
      assertThat(scrape).as("/metrics").doesNotContain(secret);
    }
    // not vacuous: the lines and errors were written, masked, and the payloads still hold the data
    assertThat(logs.text()).contains("handling payload", "[email]", "[ip]", "[token]", "attempt 1 of leaky_reply failed");
    assertThat(logs.json()).contains("\"correlation_id\":\"privacy-leaky_reply\"", "[phone]", "[card]");
    assertThat(stored).contains("reply to [email] at [phone] failed", "[card]", "texting [phone]", "[redacted]");
    assertThat(groups).contains(
        "java.lang.IllegalStateException: reply to [email] at [phone] failed", "ProviderError: user [email] ([phone]",
        "route to [email]", "\"attempts\"");
    assertThat(scrape).contains("vigil_job_phase_seconds_bucket{", "phase=\"llm_call\"", "type=\"leaky_reply\"");
    assertThat(api.get("/api/v1/jobs/" + planted.get(0)).text()).contains(EMAIL);
  }

  /** A remote worker reports a failure with personal data in its error, progress and spans. */
  private String remoteWorkerLeaks() {
    String id =
        api.post("/api/v1/jobs", "{\"type\":\"remote_reply\",\"lane\":\"background\",\"payload\":%s}".formatted(PLANTED_PAYLOAD))
            .json().get("id").asText();
    JsonNode claimed =
        api.post("/api/v1/claim", "{\"worker_id\":\"py-1\",\"types\":[\"remote_reply\"],\"max\":1,\"wait_ms\":5000}")
            .json().get("jobs").get(0);
    String token = claimed.get("lease_token").asText();
    api.post(
        "/api/v1/jobs/" + id + "/heartbeat",
        "{\"lease_token\":\"%s\",\"progress\":0.3,\"message\":\"mailing %s\"}".formatted(token, EMAIL));
    ObjectNode fail = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    fail.put("lease_token", token);
    fail.put("retryable", false);
    fail.putObject("error")
        .put("type", "ProviderError")
        .put("message", "user " + EMAIL + " (" + PHONE + ") sent {\"message\":\"" + MESSAGE + "\"}")
        .put("stack", "Traceback: key=" + API_KEY + " ip=" + IPV4 + " body={\"password\":\"" + PASSWORD + "\"}")
        .putArray("fingerprint").add("provider-error").add("route to " + EMAIL);
    fail.putArray("spans")
        .addObject()
        .put("name", "llm_call")
        .put("start", Instant.now().toString())
        .put("duration_ms", 12.5)
        .putObject("attributes")
        .put("user", EMAIL)
        .put("card", CARD);
    Reply r = api.post("/api/v1/jobs/" + id + "/fail", fail.toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return id;
  }

  /** Every job's stored errors (with stacks), progress message and timeline, via the API. */
  private String storedErrors() {
    var out = new StringBuilder();
    String cursor = null;
    do {
      JsonNode page = api.get("/api/v1/jobs?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      for (JsonNode job : page.get("jobs")) {
        JsonNode detail = api.get("/api/v1/jobs/" + job.get("id").asText()).json();
        out.append(detail.get("last_error")).append('\n');
        out.append(detail.get("progress_message")).append('\n');
        detail.get("attempts").forEach(a -> out.append(a.get("error")).append('\n'));
        out.append(detail.get("timeline")).append('\n');
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    return out.toString();
  }

  /** Every error group with its last attempts, via the API. */
  private String errorGroups() {
    var out = new StringBuilder();
    for (JsonNode group : api.get("/api/v1/errors?limit=500").json().get("groups")) {
      out.append(api.get("/api/v1/errors/" + group.get("id").asText()).text()).append('\n');
    }
    return out.toString();
  }

  private String traces() {
    var out = new StringBuilder();
    for (String type : List.of(DemoWorkload.CHAT, "leaky_reply")) {
      out.append(api.get("/api/v1/traces/privacy-" + type).text());
    }
    return out.toString();
  }
}
