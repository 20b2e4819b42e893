package dev.vigil.store;

import dev.vigil.observe.alerts.AlertStoreContract;
import dev.vigil.observe.alerts.spi.AlertStore;

class PostgresAlertStoreContractTest extends AlertStoreContract {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;
  private PostgresJobStore store;

  @Override
  protected AlertStore openStore() {
    database = server.createDatabase();
    store = server.store(database).build();
    return store.alertStore();
  }

  @Override
  protected void closeStore() {
    store.close();
    server.dropDatabase(database);
  }
}
