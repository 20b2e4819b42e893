package dev.vigil.store;

import dev.vigil.observe.alerts.AlertStoreContract;
import dev.vigil.observe.alerts.spi.AlertStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteAlertStoreContractTest extends AlertStoreContract {
  @TempDir Path dir;
  private SqliteJobStore store;

  @Override
  protected AlertStore openStore() {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    return store.alertStore();
  }

  @Override
  protected void closeStore() {
    store.close();
  }
}
