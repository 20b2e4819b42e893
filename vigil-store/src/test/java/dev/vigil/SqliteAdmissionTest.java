package dev.vigil;

import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AdmissionScenarios} on the embedded store. */
class SqliteAdmissionTest extends AdmissionScenarios {
  @TempDir Path dir;

  @Override
  JobStore newStore() {
    return SqliteJobStore.open(dir.resolve("vigil.db"));
  }
}
