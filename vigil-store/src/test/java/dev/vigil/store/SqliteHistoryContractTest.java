package dev.vigil.store;

import dev.vigil.observe.history.HistoryStoreContract;
import dev.vigil.observe.history.spi.HistoryStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Metric history on SQLite against the whole history contract, in a fresh file per test. */
class SqliteHistoryContractTest extends HistoryStoreContract {
  @TempDir Path dir;
  private SqliteJobStore jobs;

  @Override
  protected HistoryStore openStore() {
    jobs = SqliteJobStore.open(dir.resolve("vigil.db"));
    return jobs.historyStore();
  }

  @Override
  protected void closeStore() {
    jobs.close();
  }
}
