package dev.vigil.server;

import dev.vigil.llm.spi.PriceStore;
import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.alerts.spi.AlertStore;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.server.http.HttpApi;
import dev.vigil.store.JobStore;
import dev.vigil.store.PostgresJobStore;
import dev.vigil.store.SqliteJobStore;
import dev.vigil.store.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/** Opens the store a configuration names, and says how readiness checks that it answers. */
final class Stores {
  private Stores() {}

  /**
   * Opens the configured store: SQLite in {@code data_dir}, or PostgreSQL (migrating its schema if
   * needed; several nodes may start at once).
   */
  static JobStore open(ServerConfig c) {
    return open(c, null);
  }

  /** As {@link #open(ServerConfig)}; the store records its own meters in {@code registry} when given. */
  static JobStore open(ServerConfig c, MeterRegistry registry) {
    return switch (c.store()) {
      case SQLITE -> sqlite(c, registry);
      case POSTGRES -> postgres(c.postgres(), registry);
    };
  }

  private static JobStore sqlite(ServerConfig c, MeterRegistry registry) {
    SqliteJobStore.Builder b = SqliteJobStore.builder(databaseFile(c.dataDir()));
    if (registry != null) {
      b.meterRegistry(registry);
    }
    return b.build();
  }

  private static JobStore postgres(PostgresSettings pg, MeterRegistry registry) {
    PostgresJobStore.Builder b = PostgresJobStore.builder(pg.url())
        .listenUrl(pg.listenUrl())
        .user(pg.user())
        .password(pg.password())
        .poolSize(pg.poolSize())
        .statementTimeout(pg.statementTimeout());
    if (registry != null) {
      b.meterRegistry(registry);
    }
    return b.build();
  }

  /**
   * A round trip to {@code store} for readiness that throws when the store is unreachable:
   * PostgreSQL's own check of a pooled connection, or a trivial read of SQLite.
   */
  static Runnable probe(JobStore store) {
    if (store instanceof PostgresJobStore pg) {
      return () -> {
        if (!pg.isReachable(HttpApi.STORE_CHECK_TIMEOUT)) {
          throw new StoreException("PostgreSQL did not answer within " + HttpApi.STORE_CHECK_TIMEOUT.toMillis() + " ms");
        }
      };
    }
    return store::lanePauses;
  }

  /** The error groups kept by {@code store}, or null for a store that keeps none. */
  static ErrorGroupStore errorGroups(JobStore store) {
    if (store instanceof SqliteJobStore s) {
      return s.errorGroups();
    }
    if (store instanceof PostgresJobStore p) {
      return p.errorGroups();
    }
    return null;
  }

  /** The alerts, their history and silences kept in {@code store}'s database. */
  static AlertStore alerts(JobStore store) {
    return switch (store) {
      case SqliteJobStore sqlite -> sqlite.alertStore();
      case PostgresJobStore pg -> pg.alertStore();
      default -> throw new IllegalArgumentException("a " + store.getClass().getSimpleName() + " keeps no alerts");
    };
  }

  /** The LLM price rows put through the API, kept in {@code store}'s database. */
  static PriceStore prices(JobStore store) {
    return switch (store) {
      case SqliteJobStore sqlite -> sqlite.priceStore();
      case PostgresJobStore pg -> pg.priceStore();
      default -> throw new IllegalArgumentException("a " + store.getClass().getSimpleName() + " keeps no prices");
    };
  }

  /** The metric history kept in {@code store}'s database, beside the jobs. */
  static HistoryStore history(JobStore store) {
    return switch (store) {
      case SqliteJobStore sqlite -> sqlite.historyStore();
      case PostgresJobStore pg -> pg.historyStore();
      default -> throw new IllegalArgumentException("a " + store.getClass().getSimpleName() + " keeps no metric history");
    };
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
