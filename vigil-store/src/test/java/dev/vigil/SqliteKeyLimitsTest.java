package dev.vigil;

import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteKeyLimitsTest extends KeyLimitsContract {
  @TempDir Path dir;

  @Override
  JobStore store() {
    return SqliteJobStore.open(dir.resolve("vigil.db"));
  }
}
