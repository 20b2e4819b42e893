package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.store.PostgresTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code ./vigil bench --store postgres --quick} in-process on the store tests' PostgreSQL
 * ({@link PostgresTestServer#shared()}: {@code VIGIL_TEST_POSTGRES_URL} or a private server) and
 * checks the shape of the JSON: Vigil on 1 and 3 nodes, db-scheduler, the ratios. About 15 s.
 */
class BenchPostgresQuickTest {
  @TempDir static Path out;
  static int exitCode;
  static JsonNode throughput;

  @BeforeAll
  static void runQuick() throws Exception {
    PostgresTestServer pg = PostgresTestServer.shared();
    exitCode =
        new CommandLine(new BenchMain())
            .execute(
                "--store", "postgres",
                "--quick",
                "--postgres-url", pg.createDatabaseUrl(),
                "--postgres-user", pg.user(),
                "--postgres-password", pg.password(),
                "--out", out.toString());
    throughput =
        new ObjectMapper()
            .readTree(out.resolve("latest.json").toFile())
            .path("scenarios")
            .path("throughput");
  }

  @Test
  void run_succeeds() {
    assertThat(exitCode).isZero();
    assertThat(throughput.has("error")).isFalse();
  }

  @Test
  void vigil_on_one_and_three_nodes_has_the_figures() {
    for (String node : new String[] {"vigil", "vigil_3_nodes"}) {
      JsonNode v = throughput.path(node);
      assertThat(v.path("processed").asLong()).as(node).isEqualTo(v.path("jobs").asLong());
      assertThat(v.path("jobs_per_s").asLong()).as(node).isPositive();
      assertThat(v.has("p50_ms") && v.has("p99_ms")).as(node).isTrue();
      assertThat(v.has("timed_out")).as(node).isFalse();
    }
    assertThat(throughput.path("vigil_3_nodes").path("nodes").asInt()).isEqualTo(3);
  }

  @Test
  void db_scheduler_runs_on_the_same_server_and_ratios_are_given() {
    JsonNode dbs = throughput.path("peers").path("db-scheduler");
    assertThat(dbs.path("version").asText()).isEqualTo("15.6.0");
    assertThat(dbs.path("processed").asLong()).isEqualTo(dbs.path("jobs").asLong());
    assertThat(dbs.path("note").asText()).contains("lock-and-fetch");
    assertThat(throughput.path("ratios").path("db-scheduler").has("jobs_per_s")).isTrue();
    assertThat(throughput.path("ratios").path("vigil_3_nodes_to_1_node").has("p99_ms")).isTrue();
  }
}
