package dev.vigil.bench;

import dev.vigil.Vigil;
import dev.vigil.job.JobState;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;

/** How the harness builds Vigil: the embedded store with its defaults, on a fresh file. */
final class VigilEngines {
  /**
   * The store's durability: {@code synchronous=FULL} (the default) unless {@code
   * -Dvigil.bench.synchronousFull=false}, an experiment to see how much the fsync costs.
   */
  static final boolean SYNCHRONOUS_FULL = !"false".equals(System.getProperty("vigil.bench.synchronousFull"));

  private VigilEngines() {}

  /** How the store was set up, for the report. */
  static String storeSettings() {
    return "SqliteJobStore defaults: WAL, synchronous=" + (SYNCHRONOUS_FULL ? "FULL" : "NORMAL (experiment)")
        + ", 2 ms group-commit window, one writer";
  }

  /**
   * A builder on a new SQLite store in {@code dir}, with the default store settings (WAL,
   * {@code synchronous=FULL}, 2 ms group-commit window) and {@code workers} slots. Shutdown does
   * not wait for long jobs: the scenarios end with background jobs still running.
   */
  static Vigil.Builder builder(Path dir, int workers) {
    return Vigil.builder()
        .store(SqliteJobStore.builder(dir.resolve("vigil.db")).synchronousFull(SYNCHRONOUS_FULL).build())
        .workers(workers)
        .shutdownGrace(Duration.ZERO);
  }

  static long succeeded(Vigil vigil) {
    return vigil.counts().get(JobState.SUCCEEDED);
  }
}
