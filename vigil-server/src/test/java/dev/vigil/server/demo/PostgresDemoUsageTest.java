package dev.vigil.server.demo;

import dev.vigil.server.PostgresSettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.store.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;

/** {@link DemoUsageTest} with the server on the tests' PostgreSQL. */
class PostgresDemoUsageTest extends DemoUsageTest {
  private final PostgresTestServer pg = PostgresTestServer.shared();
  private String database;

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    database = pg.createDatabase();
    return b.store(ServerConfig.StoreKind.POSTGRES)
        .postgres(
            PostgresSettings.DEFAULTS
                .withUrl(pg.url(database))
                .withCredentials(pg.user(), pg.password())
                .withPoolSize(4));
  }

  @AfterEach
  void dropDatabase() {
    // runs before the support's own stop: stop the server first, then drop its database
    server.close();
    server = null;
    pg.dropDatabase(database);
  }
}
