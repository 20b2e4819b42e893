package dev.vigil.store;

import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.errors.ErrorGroupStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL store's error groups against the whole contract, each test in a schema of its own
 * in one database of the {@link PostgresTestServer}.
 */
class PostgresErrorGroupStoreTest extends ErrorGroupStoreContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresTestServer server;
  private static String url;
  private PostgresJobStore jobs;

  @BeforeAll
  static void createDatabase() {
    server = PostgresTestServer.shared();
    url = server.createDatabaseUrl();
  }

  @Override
  protected ErrorGroupStore openStore() {
    jobs = PostgresJobStore.builder(url)
        .user(server.user())
        .password(server.password())
        .schema("errors_" + SCHEMAS.incrementAndGet())
        .build();
    return jobs.errorGroups();
  }

  @AfterEach
  void close() {
    jobs.close();
  }
}
