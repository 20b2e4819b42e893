package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several nodes starting at once on an empty database: each store migrates the schema as it is
 * built, and they must neither fail nor apply a migration twice.
 */
class PostgresMigrationTest {
  private static final int NODES = 3;

  private final PostgresTestServer server = PostgresTestServer.shared();

  @ParameterizedTest(name = "schema {0}")
  @ValueSource(strings = {"public", "vigil_app"})
  void three_nodes_starting_at_once_on_an_empty_database_migrate_it_once(String schema)
      throws Exception {
    String database = server.createDatabase();
    List<PostgresJobStore> stores = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(NODES);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<PostgresJobStore>> opening = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        opening.add(
            threads.submit(
                () -> {
                  start.await();
                  return server.store(database).schema(schema).poolSize(2).build();
                }));
      }
      start.countDown();
      for (Future<PostgresJobStore> store : opening) {
        stores.add(store.get(60, TimeUnit.SECONDS));
      }

      assertThat(appliedMigrations(database, schema))
          .as("each migration applied once, successfully")
          .containsExactly("1 true", "2 true", "3 true", "4 true", "5 true", "6 true", "7 true", "8 true", "9 true", "10 true", "11 true", "12 true", "13 true");
      Job job = stores.get(0).enqueue(List.of(TestJobs.ready("social"))).getFirst();
      for (PostgresJobStore store : stores) {
        assertThat(store.get(job.id())).as("every node sees the one schema").isPresent();
      }
    } finally {
      threads.shutdownNow();
      stores.forEach(PostgresJobStore::close);
      server.dropDatabase(database);
    }
  }

  private List<String> appliedMigrations(String database, String schema) throws Exception {
    List<String> applied = new ArrayList<>();
    try (Connection c = server.connect(database);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, success FROM " + schema + ".flyway_schema_history"
                    + " WHERE type = 'SQL' ORDER BY installed_rank")) {
      while (rs.next()) {
        applied.add(rs.getString(1) + " " + rs.getBoolean(2));
      }
    }
    return applied;
  }
}
