package dev.vigil.observe.history;

import dev.vigil.observe.history.spi.HistoryStore;

/** The in-memory store the unit tests use passes the contract, so the tests' store is a real one. */
class InMemoryHistoryContractTest extends HistoryStoreContract {
  private InMemoryHistoryStore store;

  @Override
  protected HistoryStore openStore() {
    if (store == null) {
      store = new InMemoryHistoryStore();
    }
    return store;
  }
}
