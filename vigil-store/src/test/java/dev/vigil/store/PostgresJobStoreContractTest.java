package dev.vigil.store;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL store against the whole store contract, each test in a schema of its own (created
 * and migrated by the store itself) in one database of the {@link PostgresTestServer}.
 */
class PostgresJobStoreContractTest extends JobStoreContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresTestServer server;
  private static String url;

  /** This test's schema: chosen at the first {@link #openStore()}, the same on a reopen. */
  private String schema;

  @BeforeAll
  static void createDatabase() {
    server = PostgresTestServer.shared();
    url = server.createDatabaseUrl();
  }

  @Override
  protected JobStore openStore() {
    if (schema == null) {
      schema = "contract_" + SCHEMAS.incrementAndGet();
    }
    return PostgresJobStore.builder(url)
        .user(server.user())
        .password(server.password())
        .schema(schema)
        .build();
  }
}
