package dev.vigil.store.internal;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.store.ClaimGate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds and releases jobs, in the store's transactions: a claim asks its {@link ClaimGate} about
 * each job it leased that the gate wants to see (keyed jobs, and jobs an open circuit breaker
 * watches) and puts the refused ones back, ready and held; a hold that ends (by time, because a
 * job of its concurrency key ended, or because its breaker closed) makes them claimable again.
 *
 * <p>When a concurrency key is full, every ready job of the key is held at once, not only the one
 * the claim met: the next claims pass over all of them, so another key's job waits at most for the
 * jobs already running, not behind the full key's backlog. Jobs of the key are then released one
 * at a time, oldest first, as its running jobs end. The open breaker of a job type likewise holds
 * the type's whole ready backlog at once ({@link Hold#holdsType}).
 *
 * <p>On PostgreSQL, claims on several nodes count a key's running jobs at the same time; each
 * takes a transaction-scoped advisory lock per key first (in key order, so two claims cannot
 * deadlock), so the count and the start are one step for the cluster.
 */
public final class JobHolds {
  /** Which database the statements are for. */
  public enum Dialect {
    SQLITE,
    POSTGRES
  }

  private static final String PUT_BACK =
      "UPDATE jobs SET state = 'ready', attempt = attempt - 1,"
          + " started_at = (SELECT a.started_at FROM job_attempts a"
          + " WHERE a.job_id = jobs.id AND a.attempt = jobs.attempt - 1),"
          + " progress = NULL, progress_message = NULL,"
          + " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,"
          + " held_by = ?, held_key = ?, held_until = ?"
          + " WHERE id = ? AND state = 'running'";

  private static final String LOCK_KEY = "SELECT pg_advisory_xact_lock(hashtext(?))";

  private final Dialect dialect;

  public JobHolds(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Asks {@code gate} about the jobs of {@code leased} (just leased in this transaction) that it
   * wants to see, all at once and in order ({@link ClaimGate#admitAll}, so it can draw each quota
   * once), and puts back the ones it refuses. The other jobs start without asking.
   *
   * @return the jobs that start, in order
   */
  public List<Job> admit(Connection c, List<Job> leased, ClaimGate gate, Instant now) throws SQLException {
    if (gate == null) {
      return leased;
    }
    List<Job> asked = new ArrayList<>();
    Map<String, Integer> leasedOfKey = new HashMap<>();
    for (Job j : leased) {
      if (gate.wants(j)) {
        asked.add(j);
        if (j.concurrencyKey() != null) {
          leasedOfKey.merge(j.concurrencyKey(), 1, Integer::sum);
        }
      }
    }
    if (asked.isEmpty()) {
      return leased;
    }
    lockKeys(c, leasedOfKey.keySet());
    Map<String, Integer> running = new HashMap<>();
    for (String key : leasedOfKey.keySet()) {
      running.put(key, runningOf(c, key) - leasedOfKey.get(key));
    }
    List<Hold> holds = gate.admitAll(asked, running, now);
    Map<String, Hold> holdOf = new HashMap<>();
    for (int i = 0; i < asked.size(); i++) {
      if (holds.get(i) != null) {
        holdOf.put(asked.get(i).id(), holds.get(i));
      }
    }
    List<Job> started = new ArrayList<>(leased.size());
    Set<String> parked = new HashSet<>();
    Set<String> parkedTypes = new HashSet<>();
    for (Job j : leased) {
      Hold hold = holdOf.get(j.id());
      if (hold == null) {
        started.add(j);
        continue;
      }
      putBack(c, j, hold);
      String key = j.concurrencyKey();
      if (hold.key().equals(key) && parked.add(key)) {
        parkKey(c, key, hold);
      } else if (hold.holdsType(j.type()) && parkedTypes.add(j.type())) {
        parkType(c, j.type(), hold);
      }
    }
    return started;
  }

  /** Releases held jobs whose hold ended by {@code now}; returns the lane of each. */
  public List<String> releaseDue(Connection c, Instant now, int limit) throws SQLException {
    String sql = dialect == Dialect.SQLITE
        ? "UPDATE jobs SET held_by = NULL, held_key = NULL, held_until = NULL WHERE rowid IN"
            + " (SELECT rowid FROM jobs INDEXED BY jobs_held WHERE held_by IS NOT NULL AND held_until <= ?"
            + " ORDER BY held_until, id LIMIT ?) RETURNING lane"
        : "UPDATE jobs SET held_by = NULL, held_key = NULL, held_until = NULL WHERE id IN"
            + " (SELECT id FROM jobs WHERE held_by IS NOT NULL AND held_until <= ?"
            + " ORDER BY held_until, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING lane";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now.toEpochMilli());
      ps.setInt(2, limit);
      return lanes(ps);
    }
  }

  /** Releases up to {@code count} of the oldest jobs {@code key} holds; returns the lane of each. */
  public List<String> releaseOldest(Connection c, String key, int count) throws SQLException {
    String sql = dialect == Dialect.SQLITE
        ? "UPDATE jobs SET held_by = NULL, held_key = NULL, held_until = NULL WHERE rowid IN"
            + " (SELECT rowid FROM jobs INDEXED BY jobs_held_key WHERE held_key = ? AND held_by IS NOT NULL"
            + " ORDER BY run_at, id LIMIT ?) RETURNING lane"
        : "UPDATE jobs SET held_by = NULL, held_key = NULL, held_until = NULL WHERE id IN"
            + " (SELECT id FROM jobs WHERE held_key = ? AND held_by IS NOT NULL"
            + " ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING lane";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      ps.setInt(2, count);
      return lanes(ps);
    }
  }

  /**
   * Per key: the running jobs that carry it, as concurrency key or limit key ({@code [0]}), and
   * the ready jobs held by that key ({@code [1]}); only keys with either.
   */
  public Map<String, long[]> counts(Connection c) throws SQLException {
    Map<String, long[]> out = new java.util.TreeMap<>();
    // UNION, not UNION ALL: a job that names one key twice counts once for it.
    String running = dialect == Dialect.SQLITE
        ? "SELECT k, count(*) FROM (SELECT concurrency_key AS k, id FROM jobs INDEXED BY jobs_running_key"
            + " WHERE state = 'running' AND concurrency_key IS NOT NULL"
            + " UNION SELECT e.value, jobs.id FROM jobs INDEXED BY jobs_running_lease, json_each(jobs.limit_keys) e"
            + " WHERE jobs.state = 'running' AND jobs.limit_keys IS NOT NULL) GROUP BY k"
        : "SELECT k, count(*) FROM (SELECT concurrency_key AS k, id FROM jobs"
            + " WHERE state = 'running' AND concurrency_key IS NOT NULL"
            + " UNION SELECT e, jobs.id FROM jobs, jsonb_array_elements_text(jobs.limit_keys::jsonb) e"
            + " WHERE jobs.state = 'running' AND jobs.limit_keys IS NOT NULL) keyed GROUP BY k";
    String held = dialect == Dialect.SQLITE
        ? "SELECT held_key, count(*) FROM jobs INDEXED BY jobs_held_key WHERE held_by IS NOT NULL"
            + " AND state = 'ready' GROUP BY held_key"
        : "SELECT held_key, count(*) FROM jobs WHERE held_by IS NOT NULL AND state = 'ready' GROUP BY held_key";
    for (int slot = 0; slot < 2; slot++) {
      try (PreparedStatement ps = c.prepareStatement(slot == 0 ? running : held);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new long[2])[slot] = rs.getLong(2);
        }
      }
    }
    return out;
  }

  private void lockKeys(Connection c, Set<String> keys) throws SQLException {
    if (dialect != Dialect.POSTGRES || keys.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(LOCK_KEY)) {
      for (String key : new TreeSet<>(keys)) {
        ps.setString(1, "vigil-concurrency:" + key);
        ps.execute();
      }
    }
  }

  private int runningOf(Connection c, String key) throws SQLException {
    String sql = dialect == Dialect.SQLITE
        ? "SELECT count(*) FROM jobs INDEXED BY jobs_running_key WHERE state = 'running' AND concurrency_key = ?"
        : "SELECT count(*) FROM jobs WHERE state = 'running' AND concurrency_key = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void putBack(Connection c, Job j, Hold hold) throws SQLException {
    hold(c, PUT_BACK, hold, j.id());
  }

  private void parkKey(Connection c, String key, Hold hold) throws SQLException {
    String sql = "UPDATE jobs" + (dialect == Dialect.SQLITE ? " INDEXED BY jobs_ready_key" : "")
        + " SET held_by = ?, held_key = ?, held_until = ?"
        + " WHERE concurrency_key = ? AND state = 'ready' AND held_by IS NULL";
    hold(c, sql, hold, key);
  }

  /**
   * Holds every ready job of {@code type} that nothing holds yet (its breaker is open). SQLite
   * reads the ready jobs nothing holds (the claim's partial index: the backlog, not the type's
   * whole history). On PostgreSQL rows that another claim has locked are skipped, not waited for:
   * two claims parking the same type at once would otherwise wait for each other's leased rows; a
   * job skipped is held when a later claim meets it.
   */
  private void parkType(Connection c, String type, Hold hold) throws SQLException {
    String sql = dialect == Dialect.SQLITE
        ? "UPDATE jobs INDEXED BY jobs_ready_claim SET held_by = ?, held_key = ?, held_until = ?"
            + " WHERE type = ? AND state = 'ready' AND held_by IS NULL"
        : "UPDATE jobs SET held_by = ?, held_key = ?, held_until = ? WHERE id IN"
            + " (SELECT id FROM jobs WHERE type = ? AND state = 'ready' AND held_by IS NULL FOR UPDATE SKIP LOCKED)";
    hold(c, sql, hold, type);
  }

  /** Runs {@code sql}, which sets a hold's three columns and then names its rows by one value. */
  private static void hold(Connection c, String sql, Hold hold, String rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, hold.by());
      ps.setString(2, hold.key());
      ps.setLong(3, hold.until().toEpochMilli());
      ps.setString(4, rows);
      ps.executeUpdate();
    }
  }

  private static List<String> lanes(PreparedStatement ps) throws SQLException {
    List<String> lanes = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lanes.add(rs.getString(1));
      }
    }
    return lanes;
  }
}
