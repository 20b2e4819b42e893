package dev.vigil;

import dev.vigil.store.JobStore;
import dev.vigil.store.PostgresTestServer;

class PostgresKeyLimitsTest extends KeyLimitsContract {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;

  @Override
  JobStore store() {
    database = server.createDatabase();
    return server.store(database).poolSize(4).build();
  }

  @Override
  void dispose() {
    if (database != null) {
      server.dropDatabase(database);
    }
  }
}
