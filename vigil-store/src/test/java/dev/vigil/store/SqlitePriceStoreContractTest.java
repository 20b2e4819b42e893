package dev.vigil.store;

import dev.vigil.llm.PriceStoreContract;
import dev.vigil.llm.spi.PriceStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqlitePriceStoreContractTest extends PriceStoreContract {
  @TempDir Path dir;
  private SqliteJobStore store;

  @Override
  protected PriceStore openStore() {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    return store.priceStore();
  }

  @Override
  protected PriceStore reopenStore() {
    store.close();
    return openStore();
  }

  @Override
  protected void closeStore() {
    store.close();
  }
}
