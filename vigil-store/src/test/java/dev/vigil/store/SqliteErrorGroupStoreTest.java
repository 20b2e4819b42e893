package dev.vigil.store;

import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.errors.ErrorGroupStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's error groups against the whole contract, on a fresh file per test. */
class SqliteErrorGroupStoreTest extends ErrorGroupStoreContract {
  @TempDir Path dir;
  private SqliteJobStore jobs;

  @Override
  protected ErrorGroupStore openStore() {
    jobs = SqliteJobStore.open(dir.resolve("vigil.db"));
    return jobs.errorGroups();
  }

  @AfterEach
  void close() {
    jobs.close();
  }
}
