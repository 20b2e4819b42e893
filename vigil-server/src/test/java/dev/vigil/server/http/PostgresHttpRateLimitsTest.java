package dev.vigil.server.http;

import dev.vigil.server.PostgresSettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.store.PostgresTestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/** {@link HttpRateLimitsTest} on a server whose store is PostgreSQL. */
class PostgresHttpRateLimitsTest extends HttpRateLimitsTest {
  private static final PostgresTestServer PG = PostgresTestServer.shared();
  private static final List<String> DATABASES = new CopyOnWriteArrayList<>();

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    String database = PG.createDatabase();
    DATABASES.add(database);
    return super.configure(b)
        .store(ServerConfig.StoreKind.POSTGRES)
        .postgres(PostgresSettings.DEFAULTS.withUrl(PG.url(database)).withCredentials(PG.user(), PG.password()).withPoolSize(4));
  }

  @AfterAll
  static void dropDatabases() {
    DATABASES.forEach(PG::dropDatabase);
  }
}
