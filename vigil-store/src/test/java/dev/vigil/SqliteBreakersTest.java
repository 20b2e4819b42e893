package dev.vigil;

import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** {@link BreakersContract} on the embedded store. */
class SqliteBreakersTest extends BreakersContract {
  @TempDir Path dir;
  private final AtomicInteger files = new AtomicInteger();

  @Override
  JobStore newStore() {
    return SqliteJobStore.open(dir.resolve("vigil-" + files.incrementAndGet() + ".db"));
  }
}
