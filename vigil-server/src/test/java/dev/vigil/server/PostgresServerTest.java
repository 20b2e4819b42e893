package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.store.PostgresTestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server configured with {@code store: postgres}, against the tests' PostgreSQL. */
class PostgresServerTest {
  @Test
  void a_server_on_postgres_runs_jobs_as_its_node_and_lists_itself_alive_and_leading() {
    PostgresTestServer pg = PostgresTestServer.shared();
    String database = pg.createDatabase();
    ServerConfig config =
        ServerConfig.builder()
            .port(0)
            .store(ServerConfig.StoreKind.POSTGRES)
            .postgres(PostgresSettings.DEFAULTS.withUrl(pg.url(database)).withCredentials(pg.user(), pg.password()).withPoolSize(4))
            .nodeId("pg-node-1")
            .build();

    try (VigilServer server = VigilServer.start(config, engine -> engine.handler("echo", ctx -> ctx.result(ctx.payload())))) {
      var api = new ApiClient(server.url(), null);
      String id = api.post("/api/v1/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":7}}").json().get("id").asText();

      await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/jobs/" + id).json().get("state").asText().equals("succeeded"));
      JsonNode job = api.get("/api/v1/jobs/" + id).json();
      assertThat(job.get("result").get("n").asInt()).isEqualTo(7);
      assertThat(job.get("attempts").get(0).get("worker_id").asText()).isEqualTo("pg-node-1");
      await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/nodes").json().get("nodes").size() == 1);
      JsonNode node = api.get("/api/v1/nodes").json().get("nodes").get(0);
      assertThat(node.get("id").asText()).isEqualTo("pg-node-1");
      assertThat(node.get("status").asText()).isEqualTo("alive");
      await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/nodes").json().get("nodes").get(0).get("leader").asBoolean());
      ApiClient.Reply ready = api.get("/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().get("checks").get("store").get("status").asText()).isIn("up", "healthy");
      assertThat(server.storeDescription()).isEqualTo("postgres at " + pg.url(database));
    } finally {
      pg.dropDatabase(database);
    }
  }
}
