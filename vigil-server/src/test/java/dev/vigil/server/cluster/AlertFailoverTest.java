package dev.vigil.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient;
import dev.vigil.server.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Vigil servers in separate JVMs on one PostgreSQL database share a rules file whose rule holds
 * from the start. Only the leader evaluates and notifies, so the webhook gets one firing
 * notification for the cluster; when the leader is killed with SIGKILL, the other node takes over
 * from the state in the store and tells nothing again; when the rule is removed, the new leader
 * sends the resolution once. A node that is killed is reported gone ({@code absent} over {@code
 * vigil_node_up}); one that stops cleanly is not.
 */
class AlertFailoverTest {
  /** The leader's 15 s term, the 1 s between tries to take it over, and slack for a busy machine. */
  private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15 + 1 + 14);

  private final Path dir = ClusterFiles.directory("alert-failover");
  private final List<NodeProcess> nodes = new ArrayList<>();
  private ClusterDatabase db;
  private WebhookReceiver receiver;
  private Path rules;

  @BeforeEach
  void startReceiver() {
    receiver = WebhookReceiver.start();
    rules = dir.resolve("alerts.yaml");
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (db != null) {
      db.close();
    }
    receiver.close();
  }

  private void writeRules(boolean withTheRule) throws IOException {
    String rule = """
          - name: WorkersPresent
            kind: threshold
            query: {name: vigil_worker_slots, fn: last, window: 1m}
            op: ">"
            value: 0
            for: 0s
            severity: ticket
        """;
    Files.writeString(rules, """
        receivers:
          - {name: ops, webhook: "%s", send_resolved: true}
        route: {receiver: ops, group_by: [alertname], group_wait: 0s, repeat_interval: 4h}
        defaults: {disable: [VigilNodeDown]}
        rules:
          - name: NodeGone
            kind: absent
            query: {name: vigil_node_up, by: [node], window: 5s}
            for: 0s
            severity: page
        """.formatted(receiver.url()) + (withTheRule ? rule : ""));
  }

  private NodeProcess start(String id) {
    var env = new HashMap<>(db.env());
    env.put("VIGIL_PORT", "0");
    env.put("VIGIL_POSTGRES_POOL_SIZE", "4");
    env.put("VIGIL_HISTORY_INTERVAL", "1s");
    env.put("VIGIL_ALERTS_INTERVAL", "1s");
    env.put("VIGIL_ALERTS_FILE", rules.toString());
    NodeProcess n = NodeProcess.start(id, env, dir, 1);
    nodes.add(n);
    return n;
  }

  @Test
  void a_firing_alert_is_told_once_per_cluster_and_a_new_leader_neither_repeats_nor_forgets_it() throws Exception {
    db = ClusterDatabase.onSharedServer();
    writeRules(true);
    NodeProcess first = start("node-a");
    ApiClient a = new ApiClient(first.awaitUrl(), null);
    await("node-a leads").atMost(Duration.ofSeconds(60)).until(() -> leader(a, "node-a"));
    NodeProcess second = start("node-b");
    ApiClient b = new ApiClient(second.awaitUrl(), null);
    NodeProcess third = start("node-c");
    third.awaitUrl();
    await("node-c samples its metrics").atMost(Duration.ofSeconds(30)).until(() -> sampled(a, "node-c"));
    third.close();

    await("the firing notification").atMost(Duration.ofSeconds(60)).until(() -> told("firing") == 1);
    await("node-b evaluates nothing while it follows").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> lastEvaluation(b) == null);
    assertThat(told("firing")).isEqualTo(1);
    assertThat(alertStates(b)).as("every node answers from the store").containsExactly("firing");

    first.kill();
    await("node-b takes over").atMost(FAILOVER_BOUND).until(() -> leader(b, "node-b"));
    Instant tookOver = Instant.now();
    await("node-b evaluates").atMost(Duration.ofSeconds(30))
        .until(() -> lastEvaluation(b) != null && lastEvaluation(b).isAfter(tookOver.plusSeconds(2)));
    assertThat(told("firing")).as("the new leader does not tell it again").isEqualTo(1);
    await("the killed node is reported gone").atMost(Duration.ofSeconds(30)).until(() -> gone(b).contains("node-a"));
    assertThat(gone(b)).as("a node that stopped cleanly is not").containsExactly("node-a");

    writeRules(false);
    await("the resolution").atMost(Duration.ofSeconds(30)).until(() -> told("resolved") == 1);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> told("resolved") == 1);
    assertThat(told("firing")).isEqualTo(1);

    List<String> history = new ArrayList<>();
    b.get("/api/v1/alerts/history?since=-1h").json().get("events").forEach(e -> {
      if (e.get("rule").asText().equals("WorkersPresent")) {
        history.add(e.get("state").asText());
      }
    });
    assertThat(history).containsExactly("resolved", "firing");
  }

  private long told(String status) {
    return receiver.notifications("WorkersPresent", status).size();
  }

  private static boolean leader(ApiClient api, String id) {
    for (JsonNode n : api.get("/api/v1/nodes").json().get("nodes")) {
      if (n.get("leader").asBoolean() && n.get("id").asText().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static Instant lastEvaluation(ApiClient api) {
    for (JsonNode r : api.get("/api/v1/alerts/rules").json().get("rules")) {
      if (r.get("name").asText().equals("WorkersPresent")) {
        return r.get("last_evaluation").isNull() ? null : Instant.parse(r.get("last_evaluation").asText());
      }
    }
    return null;
  }

  private static boolean sampled(ApiClient api, String node) {
    JsonNode series = api.get("/api/v1/metrics/query?name=vigil_node_up&fn=last&by=node&from=-1m&step_ms=60000").json().path("series");
    for (JsonNode s : series) {
      if (s.get("labels").path("node").asText().equals(node)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> gone(ApiClient api) {
    List<String> out = new ArrayList<>();
    api.get("/api/v1/alerts").json().get("alerts").forEach(x -> {
      if (x.get("rule").asText().equals("NodeGone") && x.get("state").asText().equals("firing")) {
        out.add(x.get("labels").get("node").asText());
      }
    });
    return out;
  }

  private static List<String> alertStates(ApiClient api) {
    List<String> out = new ArrayList<>();
    api.get("/api/v1/alerts").json().get("alerts").forEach(x -> {
      if (x.get("rule").asText().equals("WorkersPresent")) {
        out.add(x.get("state").asText());
      }
    });
    return out;
  }
}
