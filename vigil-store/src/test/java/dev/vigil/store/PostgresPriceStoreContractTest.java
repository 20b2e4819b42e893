package dev.vigil.store;

import dev.vigil.llm.PriceStoreContract;
import dev.vigil.llm.spi.PriceStore;

class PostgresPriceStoreContractTest extends PriceStoreContract {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;
  private PostgresJobStore store;

  @Override
  protected PriceStore openStore() {
    database = server.createDatabase();
    store = server.store(database).build();
    return store.priceStore();
  }

  @Override
  protected PriceStore reopenStore() {
    store.close();
    store = server.store(database).build();
    return store.priceStore();
  }

  @Override
  protected void closeStore() {
    store.close();
    server.dropDatabase(database);
  }
}
