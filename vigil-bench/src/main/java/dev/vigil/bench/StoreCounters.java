package dev.vigil.bench;

import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.lang.reflect.Method;

/**
 * Reads the SQLite store's group-commit counters (commits, and write operations they held), which
 * the store keeps for its own tests. Read reflectively so that the harness keeps working, without
 * them, if the store's internals change; -1 when unavailable.
 */
final class StoreCounters {
  private StoreCounters() {}

  record Snapshot(long commits, long writes) {
    Snapshot minus(Snapshot before) {
      return commits < 0 || before.commits < 0
          ? new Snapshot(-1, -1)
          : new Snapshot(commits - before.commits, writes - before.writes);
    }
  }

  static Snapshot of(JobStore store) {
    return new Snapshot(call(store, "commitCount"), call(store, "writeCount"));
  }

  private static long call(JobStore store, String method) {
    if (!(store instanceof SqliteJobStore)) {
      return -1;
    }
    try {
      Method m = SqliteJobStore.class.getDeclaredMethod(method);
      m.setAccessible(true);
      return ((Number) m.invoke(store)).longValue();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}
