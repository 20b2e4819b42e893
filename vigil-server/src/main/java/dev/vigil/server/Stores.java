package dev.vigil.server;

import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;

/** Opens the store a configuration names, and says how readiness checks that it answers. */
final class Stores {
  private Stores() {}

  /**
   * Opens the configured store: SQLite in {@code data_dir}, or PostgreSQL (migrating its schema if
   * needed; several nodes may start at once).
   */
  static JobStore open(ServerConfig c) {
    return switch (c.store()) {
      case SQLITE -> SqliteJobStore.open(databaseFile(c.dataDir()));
      case POSTGRES -> throw new ConfigException("store", "postgres is not available in this build yet");
    };
  }

  /** A round trip to {@code store} for readiness: a trivial read that throws when the store is unreachable. */
  static Runnable probe(JobStore store) {
    return store::lanePauses;
  }

  /** Where the jobs live, for the start-up line; never shows a password. */
  static String describe(ServerConfig c) {
    return switch (c.store()) {
      case SQLITE -> "sqlite, data in " + c.dataDir().toAbsolutePath();
      case POSTGRES -> "postgres at " + c.postgres().safeUrl();
    };
  }

  static Path databaseFile(Path dataDir) {
    return dataDir.resolve("vigil.db");
  }
}
