package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.store.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class NodesApiTest extends ServerTestSupport {

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.nodeId("api-node-1");
  }

  private JsonNode node(JsonNode body, String id) {
    for (JsonNode n : body.get("nodes")) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    return null;
  }

  @Test
  void this_node_is_listed_alive_and_leading_under_its_configured_id() {
    await().atMost(Duration.ofSeconds(10)).until(() -> node(api.get("/api/v1/nodes").json(), "api-node-1") != null);

    Reply reply = api.get("/api/v1/nodes");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonNode self = node(reply.json(), "api-node-1");
    assertThat(self.get("host").asText()).isNotBlank();
    assertThat(self.get("version").asText()).isNotBlank();
    assertThat(Instant.parse(self.get("started_at").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(Instant.parse(self.get("last_heartbeat").asText())).isAfter(Instant.now().minusSeconds(15));
    assertThat(self.get("running_jobs").asInt()).isZero();
    assertThat(self.get("status").asText()).isEqualTo("alive");
    assertThat(self.get("leader").asBoolean()).as("a single SQLite node always leads").isTrue();
    assertThat(server.vigil().workerId()).isEqualTo("api-node-1");
  }

  @Test
  void a_node_silent_for_more_than_three_heartbeats_is_gone_and_never_the_leader() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    server.vigil().store().heartbeatNode(
        new NodeRecord("crashed-node", "host-b", "0.1.0", now.minusSeconds(600), now.minusSeconds(16), 3));
    server.vigil().store().heartbeatNode(
        new NodeRecord("quiet-node", "host-c", "0.1.0", now.minusSeconds(600), now.minusSeconds(14), 0));

    JsonNode body = api.get("/api/v1/nodes").json();

    JsonNode crashed = node(body, "crashed-node");
    assertThat(crashed.get("status").asText()).isEqualTo("gone");
    assertThat(crashed.get("leader").asBoolean()).isFalse();
    assertThat(crashed.get("running_jobs").asInt()).isEqualTo(3);
    assertThat(crashed.get("last_heartbeat").asText()).isEqualTo(now.minusSeconds(16).toString());
    assertThat(node(body, "quiet-node").get("status").asText()).isEqualTo("alive");
  }

  @Test
  void the_gone_bound_is_three_heartbeat_intervals() {
    Instant now = Instant.parse("2026-01-01T00:00:30Z");
    NodeRecord at15 = new NodeRecord("n", "h", "v", now.minusSeconds(60), now.minusSeconds(15), 0);
    NodeRecord past15 = new NodeRecord("n", "h", "v", now.minusSeconds(60), now.minusMillis(15_001), 0);

    assertThat(NodesApi.status(at15, now)).isEqualTo("alive");
    assertThat(NodesApi.status(past15, now)).isEqualTo("gone");
  }
}
