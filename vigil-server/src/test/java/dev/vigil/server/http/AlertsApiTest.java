package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.AlertSettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.server.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alerting on a live server: history sampled and rules evaluated every second, a rules file with a
 * webhook receiver on 127.0.0.1. A rule goes pending, fires, resolves, and the receiver gets
 * Alertmanager's body each time; the rules file is re-read when it changes, and a bad one keeps the
 * rules running and says why.
 */
class AlertsApiTest extends ServerTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private WebhookReceiver receiver;
  private Path rulesFile;

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    try {
      receiver = WebhookReceiver.start();
      rulesFile = Files.createTempDirectory(dataDir, "rules").resolve("alerts.yaml");
      Files.writeString(rulesFile, rules("JobsDying", "2s"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)))
        .alerts(new AlertSettings(true, rulesFile, Duration.ofSeconds(1)));
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("doomed", ctx -> {
      throw new IllegalStateException("the provider said no");
    });
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private String rules(String name, String forDuration) {
    return """
        receivers:
          - name: ops
            webhook: %s
            send_resolved: true
        route: {receiver: ops, group_by: [alertname, lane], group_wait: 0s, repeat_interval: 4h}
        defaults: {disable: [VigilNewErrorGroup]}
        rules:
          - name: %s
            kind: threshold
            query: {name: vigil_jobs_dead_total, fn: increase, by: [lane], window: 30s}
            op: ">"
            value: 0
            for: %s
            severity: page
            labels: {team: chat}
            annotations: {summary: "Jobs die in {{ $labels.lane }}", runbook_url: "docs/runbooks.md#vigildeadjobs"}
        """.formatted(receiver.url(), name, forDuration);
  }

  @Test
  void a_rule_goes_pending_fires_and_resolves_and_the_webhook_gets_alertmanagers_body_each_time() {
    enqueue("doomed", "social");

    JsonNode firing = await().atMost(PATIENCE).until(() -> alert("JobsDying"), a -> a != null && a.get("state").asText().equals("firing"));
    assertThat(firing.get("severity").asText()).isEqualTo("page");
    assertThat(firing.get("labels").get("lane").asText()).isEqualTo("social");
    assertThat(firing.get("labels").get("team").asText()).isEqualTo("chat");
    assertThat(firing.get("annotations").get("summary").asText()).isEqualTo("Jobs die in social");
    assertThat(firing.get("value").asDouble()).isGreaterThan(0);
    assertThat(Duration.between(Instant.parse(firing.get("active_since").asText()), Instant.parse(firing.get("firing_since").asText())))
        .as("pending for the rule's 2 s before firing").isGreaterThanOrEqualTo(Duration.ofSeconds(2));

    JsonNode fired = await().atMost(PATIENCE).until(() -> notification("firing"), n -> n != null);
    assertThat(fired.get("version").asText()).isEqualTo("4");
    assertThat(fired.get("receiver").asText()).isEqualTo("ops");
    assertThat(fired.get("groupLabels").get("alertname").asText()).isEqualTo("JobsDying");
    assertThat(fired.get("alerts")).singleElement().satisfies(a -> {
      assertThat(a.get("status").asText()).isEqualTo("firing");
      assertThat(a.get("labels").get("alertname").asText()).isEqualTo("JobsDying");
      assertThat(a.get("labels").get("lane").asText()).isEqualTo("social");
      assertThat(a.get("annotations").get("runbook_url").asText()).isEqualTo("docs/runbooks.md#vigildeadjobs");
      assertThat(a.get("fingerprint").asText()).isNotBlank();
    });

    // no job dies after the first: once the 30 s window has passed, the rule no longer holds
    JsonNode resolved = await().atMost(PATIENCE).until(() -> notification("resolved"), n -> n != null);
    assertThat(resolved.get("alerts")).singleElement().satisfies(a -> {
      assertThat(a.get("status").asText()).isEqualTo("resolved");
      assertThat(Instant.parse(a.get("endsAt").asText())).isAfter(Instant.parse(a.get("startsAt").asText()));
    });
    assertThat(alert("JobsDying")).isNull();

    JsonNode events = ok("/api/v1/alerts/history?since=-1h").get("events");
    List<JsonNode> mine = new ArrayList<>();
    events.forEach(e -> {
      if (e.get("rule").asText().equals("JobsDying")) {
        mine.add(e);
      }
    });
    assertThat(mine).extracting(e -> e.get("state").asText()).containsExactly("resolved", "firing");
    assertThat(mine.get(0).get("duration_ms").asLong()).as("how long it fired").isPositive();
    assertThat(mine.get(1).get("labels").get("lane").asText()).isEqualTo("social");
  }

  @Test
  void rules_list_the_built_in_and_the_files_rules_with_their_health() {
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(rule("JobsDying").get("last_evaluation").isNull()).isFalse());

    JsonNode body = ok("/api/v1/alerts/rules");
    assertThat(body.get("config_error").isNull()).isTrue();
    JsonNode mine = rule("JobsDying");
    assertThat(mine.get("kind").asText()).isEqualTo("threshold");
    assertThat(mine.get("expr").asText()).isEqualTo("vigil_jobs_dead_total increase by lane over 30s > 0");
    assertThat(mine.get("for_ms").asLong()).isEqualTo(2_000);
    assertThat(mine.get("health").asText()).isEqualTo("ok");
    assertThat(rule("VigilChatQueueWaitHigh")).as("a built-in rule").isNotNull();
    assertThat(rule("VigilNewErrorGroup")).as("switched off by the file").isNull();
  }

  @Test
  void a_changed_rules_file_is_running_within_seconds_and_a_bad_one_keeps_the_rules_and_says_why() throws IOException {
    Files.writeString(rulesFile, rules("JobsDyingFast", "0s"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(rule("JobsDyingFast")).isNotNull();
      assertThat(rule("JobsDying")).isNull();
    });

    Files.writeString(rulesFile, rules("Broken", "soon"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(ok("/api/v1/alerts/rules").get("config_error").asText())
            .isEqualTo(rulesFile + ": rules[0].for: must be a duration such as 30s, 5m, 4h or 3d (got 'soon')"));
    assertThat(rule("JobsDyingFast")).as("the rules running stay").isNotNull();
    assertThat(rule("Broken")).isNull();
    JsonNode health = api.get("/health/detailed").json();
    assertThat(health.get("alerts").get("config_error").asText()).contains("rules[0].for");
    assertThat(health.get("status").asText()).isEqualTo("healthy");

    Files.writeString(rulesFile, rules("JobsDying", "2s"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(ok("/api/v1/alerts/rules").get("config_error").isNull()).isTrue();
      assertThat(rule("JobsDying")).isNotNull();
    });
  }

  @Test
  void a_silence_is_created_listed_and_ended_and_bad_ones_are_refused_storing_nothing() {
    var refused = List.of(
        api.post("/api/v1/alerts/silences", "{\"rule\":\"NoSuchRule\",\"duration_ms\":60000}"),
        api.post("/api/v1/alerts/silences", "{\"duration_ms\":60000}"),
        api.post("/api/v1/alerts/silences", "{\"rule\":\"JobsDying\"}"),
        api.post("/api/v1/alerts/silences", "{\"rule\":\"JobsDying\",\"duration_ms\":10}"),
        api.post("/api/v1/alerts/silences", "{\"rule\":\"JobsDying\",\"duration_ms\":60000,\"matchers\":{\"lane\":7}}"),
        api.post("/api/v1/alerts/silences", "{\"rule\":\"JobsDying\",\"duration_ms\":60000,\"until\":\"never\"}"));
    assertThat(refused).allSatisfy(r -> {
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    });
    assertThat(ok("/api/v1/alerts/silences").get("silences")).isEmpty();

    var created = api.post("/api/v1/alerts/silences",
        "{\"rule\":\"JobsDying\",\"matchers\":{\"lane\":\"social\"},\"duration_ms\":3600000,\"comment\":\"provider outage\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(Instant.parse(created.json().get("ends_at").asText())).isAfter(Instant.now().plus(Duration.ofMinutes(59)));

    JsonNode listed = ok("/api/v1/alerts/silences").get("silences");
    assertThat(listed).singleElement().satisfies(s -> {
      assertThat(s.get("id").asText()).isEqualTo(id);
      assertThat(s.get("rule").asText()).isEqualTo("JobsDying");
      assertThat(s.get("matchers").get("lane").asText()).isEqualTo("social");
      assertThat(s.get("comment").asText()).isEqualTo("provider outage");
    });

    assertThat(api.delete("/api/v1/alerts/silences/" + id).status()).isEqualTo(204);
    assertThat(ok("/api/v1/alerts/silences").get("silences")).isEmpty();
    assertThat(api.delete("/api/v1/alerts/silences/" + id).status()).isEqualTo(404);
  }

  @Test
  void a_silenced_alert_fires_without_a_notification() {
    var created = api.post("/api/v1/alerts/silences", "{\"rule\":\"JobsDying\",\"duration_ms\":3600000}");
    assertThat(created.status()).isEqualTo(201);

    enqueue("doomed", "social");
    await().atMost(PATIENCE).until(() -> alert("JobsDying"), a -> a != null && a.get("state").asText().equals("firing"));
    await().atMost(PATIENCE).until(() -> alert("JobsDying") == null); // resolved, as the window passed

        assertThat(receiver.notifications("JobsDying", "firing")).isEmpty();
    assertThat(receiver.notifications("JobsDying", "resolved")).isEmpty();
  }

  private JsonNode notification(String status) {
    return receiver.notifications("JobsDying", status).stream().findFirst().orElse(null);
  }

  private JsonNode alert(String rule) {
    for (JsonNode a : ok("/api/v1/alerts").get("alerts")) {
      if (a.get("rule").asText().equals(rule)) {
        return a;
      }
    }
    return null;
  }

  private JsonNode rule(String name) {
    for (JsonNode r : ok("/api/v1/alerts/rules").get("rules")) {
      if (r.get("name").asText().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private JsonNode ok(String path) {
    var reply = api.get(path);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }
}
