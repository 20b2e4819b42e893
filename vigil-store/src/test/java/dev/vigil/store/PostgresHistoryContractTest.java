package dev.vigil.store;

import dev.vigil.observe.history.HistoryStoreContract;
import dev.vigil.observe.history.spi.HistoryStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * Metric history on PostgreSQL against the whole history contract, each test in a schema of its own
 * (created and migrated by the store) in one database of the {@link PostgresTestServer}.
 */
class PostgresHistoryContractTest extends HistoryStoreContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresTestServer server;
  private static String url;

  private String schema;
  private PostgresJobStore jobs;

  @BeforeAll
  static void createDatabase() {
    server = PostgresTestServer.shared();
    url = server.createDatabaseUrl();
  }

  @Override
  protected HistoryStore openStore() {
    if (schema == null) {
      schema = "history_" + SCHEMAS.incrementAndGet();
    }
    jobs = PostgresJobStore.builder(url).user(server.user()).password(server.password()).schema(schema).build();
    return jobs.historyStore();
  }

  @Override
  protected void closeStore() {
    jobs.close();
  }
}
