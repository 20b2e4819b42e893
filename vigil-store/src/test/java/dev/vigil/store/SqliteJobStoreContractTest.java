package dev.vigil.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against the whole store contract, on a fresh file per test. */
class SqliteJobStoreContractTest extends JobStoreContract {
  @TempDir Path dir;

  @Override
  protected JobStore openStore() {
    return SqliteJobStore.open(dir.resolve("vigil.db"));
  }
}
