package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.UsdPerMillion;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.store.PostgresTestServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows put through {@code PUT /api/v1/llm/prices} are kept in the store, on SQLite and on
 * PostgreSQL: after a restart they are listed and price calls again, a stored row still replaces
 * the configured row of the same key, and a refused PUT stored nothing.
 */
class LlmPricesStoredTest {
  @TempDir Path dataDir;

  private static final String ROW =
      """
      {"provider":"acme","model_pattern":"rocket-1","valid_from":"2025-01-01",
       "usd_per_million":{"input":1,"cached_input":0.5,"output":4.25}}""";

  private static ServerConfig.Builder withConfiguredRow(ServerConfig.Builder b) {
    return b.port(0).llmPrices(List.of(
        new PriceRow("acme", "rocket-1", LocalDate.parse("2025-01-01"), UsdPerMillion.of("9", "9", "9"))));
  }

  @Test
  void on_sqlite_put_rows_survive_a_restart() {
    ServerConfig config = withConfiguredRow(ServerConfig.builder().dataDir(dataDir)).build();
    putThenRestart(config);
  }

  @Test
  void on_postgres_put_rows_survive_a_restart() {
    PostgresTestServer pg = PostgresTestServer.shared();
    String database = pg.createDatabase();
    try {
      ServerConfig config = withConfiguredRow(ServerConfig.builder()
          .store(ServerConfig.StoreKind.POSTGRES)
          .postgres(PostgresSettings.DEFAULTS.withUrl(pg.url(database)).withCredentials(pg.user(), pg.password()).withPoolSize(4)))
          .build();
      putThenRestart(config);
    } finally {
      pg.dropDatabase(database);
    }
  }

  private static void putThenRestart(ServerConfig config) {
    try (VigilServer server = VigilServer.start(config, engine -> {})) {
      var api = new ApiClient(server.url(), null);
      assertThat(outputOf(api, "rocket-1")).containsExactly("9");
      Reply ok = put(api, "{\"prices\":[" + ROW + "]}");
      assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
      Reply bad = put(api, "{\"prices\":[" + ROW.replace("rocket-1", "rocket-2") + ","
          + ROW.replace("rocket-1", "rocket-3").replace("4.25", "-1") + "]}");
      assertThat(bad.status()).isEqualTo(400);
    }
    try (VigilServer server = VigilServer.start(config, engine -> {})) {
      var api = new ApiClient(server.url(), null);
      assertThat(outputOf(api, "rocket-1")).as("the stored row replaces the configured one").containsExactly("4.25");
      assertThat(outputOf(api, "rocket-2")).as("the refused PUT stored nothing").isEmpty();
      assertThat(server.vigil().prices().rowFor("acme", "rocket-1", java.time.Instant.now()))
          .get().extracting(r -> r.usdPerMillion().output().toPlainString()).isEqualTo("4.25");
    }
  }

  private static Reply put(ApiClient api, String body) {
    return api.send(api.request("/api/v1/llm/prices").header("Content-Type", "application/json")
        .PUT(BodyPublishers.ofString(body)));
  }

  private static List<String> outputOf(ApiClient api, String pattern) {
    JsonNode rows = api.get("/api/v1/llm/prices").json().get("prices");
    return StreamSupport.stream(rows.spliterator(), false)
        .filter(r -> r.get("provider").asText().equals("acme") && r.get("model_pattern").asText().equals(pattern))
        .map(r -> r.get("usd_per_million").get("output").decimalValue().toPlainString())
        .toList();
  }
}
