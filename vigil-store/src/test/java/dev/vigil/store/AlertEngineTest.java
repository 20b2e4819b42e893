package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.ManualClock;
import dev.vigil.observe.alerts.AlertCondition;
import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.alerts.AlertRule;
import dev.vigil.observe.alerts.AlertState;
import dev.vigil.observe.alerts.NotificationPolicy;
import dev.vigil.observe.alerts.Observation;
import dev.vigil.observe.alerts.Receiver;
import dev.vigil.observe.alerts.Route;
import dev.vigil.observe.alerts.Silence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert engine on a real SQLite store, notifying a real webhook receiver on 127.0.0.1: an
 * alert goes pending, fires, resolves, and the receiver gets Alertmanager's body for each; a
 * receiver that fails is tried again; a second engine on the same store (a new leader) carries on
 * without telling anything twice; silences mute.
 */
class AlertEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private volatile boolean holds;
  private volatile double value = 7;
  private HttpServer receiver;
  private SqliteJobStore store;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
          if (status == 200) {
            received.add(JSON.readTree(body));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    store.close();
  }

  private AlertEngine engine() {
    AlertEngine engine =
        new AlertEngine(store.alertStore(), clock, registry, () -> "http://127.0.0.1:8080", 4, Duration.ofMillis(10));
    var condition =
        new AlertCondition() {
          @Override
          public String kind() {
            return "threshold";
          }

          @Override
          public String expr() {
            return "vigil_job_queue_wait_seconds p99 {lane=cognition} over 5m > 5";
          }

          @Override
          public List<Observation> evaluate(Instant now) {
            return List.of(new Observation(Map.of("lane", "cognition"), value, holds));
          }
        };
    var rule =
        new AlertRule(
            "ChatQueueWaitHigh", condition, Duration.ofMinutes(1), Duration.ZERO, "page", Map.of("team", "chat"),
            Map.of("summary", "Chat replies wait over 5 s", "runbook_url", "docs/runbooks.md#chatqueuewaithigh"));
    URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    var policy =
        new NotificationPolicy(
            List.of(new Receiver("ops", hook, true)),
            new Route("ops", List.of("alertname", "lane"), Duration.ZERO, Duration.ofHours(4), Map.of(), List.of()));
    engine.configure(List.of(rule), policy);
    return engine;
  }

  @Test
  void an_alert_goes_pending_then_firing_then_resolved_and_the_webhook_hears_both_ends() {
    AlertEngine engine = engine();
    holds = true;

    engine.evaluate();
    assertThat(engine.alerts()).singleElement().extracting(a -> a.state()).isEqualTo(AlertState.PENDING);
    assertThat(received).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    engine.evaluate();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    JsonNode firing = received.getFirst();
    assertThat(firing.get("version").asText()).isEqualTo("4");
    assertThat(firing.get("status").asText()).isEqualTo("firing");
    assertThat(firing.get("receiver").asText()).isEqualTo("ops");
    assertThat(firing.get("groupLabels").get("lane").asText()).isEqualTo("cognition");
    JsonNode alert = firing.get("alerts").get(0);
    assertThat(alert.get("status").asText()).isEqualTo("firing");
    assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ChatQueueWaitHigh");
    assertThat(alert.get("labels").get("team").asText()).isEqualTo("chat");
    assertThat(alert.get("annotations").get("runbook_url").asText()).isEqualTo("docs/runbooks.md#chatqueuewaithigh");
    assertThat(alert.get("startsAt").asText()).isEqualTo("2026-12-03T10:01:00Z");
    assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(alert.get("fingerprint").asText()).isNotBlank();

    clock.advance(Duration.ofMinutes(1));
    engine.evaluate();
    assertThat(received).as("a firing alert told once is not told again before repeat_interval").hasSize(1);

    holds = false;
    clock.advance(Duration.ofSeconds(30));
    engine.evaluate();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    JsonNode resolved = received.get(1);
    assertThat(resolved.get("status").asText()).isEqualTo("resolved");
    assertThat(resolved.get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-12-03T10:02:30Z");
    assertThat(engine.alerts()).isEmpty();

    var history = store.alertStore().history(Instant.EPOCH, 10, Optional.empty());
    assertThat(history).extracting(e -> e.state()).containsExactly(AlertState.RESOLVED, AlertState.FIRING);
    assertThat(history.getFirst().durationMs()).isEqualTo(90_000);
    assertThat(engine.health().get("ChatQueueWaitHigh").ok()).isTrue();
  }

  @Test
  void a_failing_receiver_is_tried_again_until_it_accepts() {
    AlertEngine engine = engine();
    failuresLeft.set(2);
    holds = true;
    engine.evaluate();
    clock.advance(Duration.ofMinutes(1));

    engine.evaluate();

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> registry.find("vigil.alert.notifications").tag("outcome", "sent").counter() != null);
    assertThat(registry.find("vigil.alert.notifications").tag("outcome", "failed").counter()).isNull();
  }

  @Test
  void a_new_leader_carries_on_without_telling_a_firing_alert_twice() {
    AlertEngine first = engine();
    holds = true;
    first.evaluate();
    clock.advance(Duration.ofMinutes(1));
    first.evaluate();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.alertStore().alerts().getFirst().notifiedState() == AlertState.FIRING);
    first.close();

    AlertEngine next = engine();
    clock.advance(Duration.ofMinutes(1));
    next.evaluate();
    holds = false;
    clock.advance(Duration.ofMinutes(1));
    next.evaluate();

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    assertThat(received).extracting(b -> b.get("status").asText()).containsExactly("firing", "resolved");
    assertThat(store.alertStore().history(Instant.EPOCH, 10, Optional.empty()))
        .extracting(e -> e.state())
        .containsExactly(AlertState.RESOLVED, AlertState.FIRING);
  }

  @Test
  void a_silenced_alert_fires_and_is_listed_but_not_told() {
    AlertEngine engine = engine();
    store.alertStore().addSilence(
        new Silence("s1", "ChatQueueWaitHigh", Map.of("lane", "cognition"), clock.instant(), clock.instant().plusSeconds(3600), "deploy"));
    holds = true;
    engine.evaluate();
    clock.advance(Duration.ofMinutes(1));

    engine.evaluate();

    assertThat(engine.alerts()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.FIRING);
      assertThat(a.notifiedState()).as("no notification planned").isNull();
    });
    assertThat(received).isEmpty();
    clock.advance(Duration.ofHours(1));
    engine.evaluate();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
  }
}
