package dev.vigil.bench;

import dev.vigil.Vigil;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How the harness builds Vigil: the embedded store with its defaults, on a fresh file. */
final class VigilEngines {
  /**
   * The store's durability: {@code synchronous=FULL} (the default) unless {@code
   * -Dvigil.bench.synchronousFull=false}, an experiment to see how much the fsync costs.
   */
  static final boolean SYNCHRONOUS_FULL =
      !"false".equals(System.getProperty("vigil.bench.synchronousFull"));

  /**
   * The group-commit window in ms, the store's default (2) unless {@code
   * -Dvigil.bench.groupCommitWindowMs=N}, an experiment to see what lingering costs.
   */
  static final Integer WINDOW_MS = Integer.getInteger("vigil.bench.groupCommitWindowMs");

  /**
   * Where Vigil's engines and stores record their meters when {@code --metrics on} (system property
   * {@code vigil.bench.metrics=on}): one Prometheus registry, as {@code vigil server} has.
   */
  static final PrometheusMeterRegistry METRICS =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private VigilEngines() {}

  /** Whether the engines record metrics ({@code --metrics on}); off by default. */
  static boolean metricsOn() {
    return "on".equals(System.getProperty("vigil.bench.metrics", "off"));
  }

  /** A store on {@code file} with the defaults, or with the experiment switches given. */
  static SqliteJobStore store(Path file) {
    var b = SqliteJobStore.builder(file).synchronousFull(SYNCHRONOUS_FULL);
    if (metricsOn()) {
      b.meterRegistry(METRICS);
    }
    if (WINDOW_MS != null) {
      b.groupCommitWindow(Duration.ofMillis(WINDOW_MS));
    }
    return b.build();
  }

  /** How the store was set up, for the report. */
  static String storeSettings() {
    return "SqliteJobStore defaults: WAL, synchronous="
        + (SYNCHRONOUS_FULL ? "FULL" : "NORMAL (experiment)")
        + ", "
        + (WINDOW_MS == null ? "2 ms" : WINDOW_MS + " ms (experiment)")
        + " group-commit window, one writer"
        + (metricsOn() ? "; metrics on (Prometheus registry)" : "");
  }

  /**
   * A builder on a new SQLite store in {@code dir}, with the default store settings (WAL, {@code
   * synchronous=FULL}, 2 ms group-commit window) and {@code workers} slots. Shutdown does not wait
   * for long jobs: the scenarios end with background jobs still running.
   */
  static Vigil.Builder builder(Path dir, int workers) {
    return builder(store(dir.resolve("vigil.db")), workers);
  }

  /**
   * A builder on the given store with {@code workers} slots, no shutdown grace, and the default
   * lanes all {@link #unshed() protected}.
   */
  static Vigil.Builder builder(JobStore store, int workers) {
    Vigil.Builder b =
        Vigil.builder().store(store).workers(workers).shutdownGrace(Duration.ZERO).lanes(unshed());
    return metricsOn() ? b.meterRegistry(METRICS) : b;
  }

  /**
   * The default lanes, every one protected: the scenarios offer backlogs past the lanes' capacities
   * on purpose, to measure throughput and isolation, so no lane may shed them. Admission still runs
   * on every enqueue; it only never refuses.
   */
  static List<Lane> unshed() {
    return Lane.DEFAULTS.stream().map(l -> l.withProtected(true)).toList();
  }

  static long succeeded(Vigil vigil) {
    return vigil.counts().get(JobState.SUCCEEDED);
  }
}
