package dev.vigil.store.internal;

import dev.vigil.store.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round robin by concurrency key within a lane: gives each new job its turn, and learns from
 * claims which turn each lane is serving. Claims take a lane's ready jobs by turn, then {@code
 * run_at} and id.
 *
 * <p>A job without a concurrency key gets the serving turn, so such jobs keep their {@code run_at}
 * order among themselves (each counts as a key of its own). A job with a key gets the turn after
 * its key's last ready job in the lane, or the serving turn if that is later: a key with 10,000
 * ready jobs holds turns far ahead, and another key's first job, at the serving turn, waits for
 * at most one job of each key that is already there. A job that becomes ready again (a retry, a
 * rescued lease, a released hold) keeps its old turn and so goes first.
 *
 * <p>The serving turn of a lane is the highest turn this store has leased in it, and at least the
 * lowest turn among its ready jobs, read from the store at most once a second: so a restarted
 * node, and on PostgreSQL a node that only enqueues, learn the turn the other claims reached.
 * Several nodes enqueuing jobs of one key at the same moment may give two of them the same turn;
 * the key then gets two jobs in that round, not more.
 */
public final class Turns {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final String lowestReady;
  private final String lastOfKey;
  private final Map<String, Serving> lanes = new ConcurrentHashMap<>();

  /** The serving turn of one lane, and when the store was last asked for its lowest. */
  private static final class Serving {
    final AtomicLong turn = new AtomicLong();
    volatile long readAt;
    volatile boolean read;
  }

  public Turns(JobHolds.Dialect dialect) {
    boolean sqlite = dialect == JobHolds.Dialect.SQLITE;
    this.lowestReady = "SELECT min(turn) FROM jobs" + (sqlite ? " INDEXED BY jobs_ready_claim" : "")
        + " WHERE state = 'ready' AND held_by IS NULL AND lane = ?";
    this.lastOfKey = "SELECT max(turn) FROM jobs" + (sqlite ? " INDEXED BY jobs_ready_key" : "")
        + " WHERE state = 'ready' AND concurrency_key IS NOT NULL AND concurrency_key = ? AND lane = ?";
  }

  /**
   * The turn of each job, in order, inside the inserting transaction: jobs of one key in the same
   * list get consecutive turns.
   */
  public long[] assign(Connection c, List<NewJob> jobs) throws SQLException {
    long[] turns = new long[jobs.size()];
    Map<String, Long> serving = new HashMap<>();
    Map<String, Long> lastOfKeys = new HashMap<>();
    for (int i = 0; i < turns.length; i++) {
      NewJob job = jobs.get(i);
      Long now = serving.get(job.lane());
      if (now == null) {
        now = serving(c, job.lane());
        serving.put(job.lane(), now);
      }
      String key = job.concurrencyKey();
      if (key == null) {
        turns[i] = now;
        continue;
      }
      String laneKey = job.lane() + '\n' + key;
      Long last = lastOfKeys.containsKey(laneKey) ? lastOfKeys.get(laneKey) : lastOfKey(c, job.lane(), key);
      turns[i] = last == null ? now : Math.max(now, last + 1);
      lastOfKeys.put(laneKey, turns[i]);
    }
    return turns;
  }

  /** A claim leased a job of {@code lane} at {@code turn}. */
  public void served(String lane, long turn) {
    lanes.computeIfAbsent(lane, l -> new Serving()).turn.accumulateAndGet(turn, Math::max);
  }

  private long serving(Connection c, String lane) throws SQLException {
    Serving s = lanes.computeIfAbsent(lane, l -> new Serving());
    long now = System.nanoTime();
    if (!s.read || now - s.readAt > REFRESH_NANOS) {
      Long lowest = first(c, lowestReady, lane);
      if (lowest != null) {
        s.turn.accumulateAndGet(lowest, Math::max);
      }
      s.readAt = now;
      s.read = true;
    }
    return s.turn.get();
  }

  private Long lastOfKey(Connection c, String lane, String key) throws SQLException {
    return first(c, lastOfKey, key, lane);
  }

  private static Long first(Connection c, String sql, String... binds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        ps.setString(i + 1, binds[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }
}
