package dev.vigil.store;

import dev.vigil.job.JobState;
import dev.vigil.job.Job;
import dev.vigil.store.internal.DueJobs;
import dev.vigil.store.internal.JobRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The queries over active jobs that run all the time: promotion, the reaper, the next scheduled
 * run, lane depths. Each names the partial index that serves it ({@code INDEXED BY}), because
 * without statistics SQLite's planner prefers the general {@code (state, id)} and {@code (lane,
 * id)} listing indexes, whose {@code state = ?} range also holds, for {@code succeeded}, the
 * whole history. Pinned, each costs what the active rows cost, not what the table holds; if an
 * index were ever dropped, the statement would fail to prepare instead of silently scanning.
 */
final class SqliteActiveJobs {
  /** Promotes due scheduled jobs, earliest {@code run_at} first. */
  static final String PROMOTE =
      "UPDATE jobs SET state = 'ready' WHERE state = 'scheduled' AND id IN"
          + " (SELECT id FROM jobs INDEXED BY jobs_scheduled_due"
          + " WHERE state = 'scheduled' AND run_at <= ? ORDER BY run_at, id LIMIT ?)"
          + " RETURNING " + JobRows.COLUMNS;

  /** The reaper's query: running jobs whose lease ran out, oldest expiry first. */
  static final String EXPIRED =
      "SELECT " + JobRows.COLUMNS + " FROM jobs INDEXED BY jobs_running_lease"
          + " WHERE state = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at, id LIMIT ?";

  static final String NEXT_RUN_AT =
      "SELECT min(run_at) AS next_run_at FROM jobs INDEXED BY jobs_scheduled_due"
          + " WHERE state = 'scheduled'";

  static final String SCHEDULED_BY_LANE =
      "SELECT lane, count(*) FROM jobs INDEXED BY jobs_scheduled_due"
          + " WHERE state = 'scheduled' GROUP BY lane";

  static final String READY_BY_LANE =
      "SELECT lane, count(*), min(run_at) FROM jobs INDEXED BY jobs_ready_claim"
          + " WHERE state = 'ready' AND held_by IS NULL GROUP BY lane";

  /** Ready jobs held by a limit, per lane (they are ready, but out of the claim index). */
  static final String HELD_BY_LANE =
      "SELECT lane, count(*), min(run_at) FROM jobs INDEXED BY jobs_held"
          + " WHERE held_by IS NOT NULL AND state = 'ready' GROUP BY lane";

  static final String RUNNING_BY_LANE =
      "SELECT lane, count(*) FROM jobs INDEXED BY jobs_running_lease"
          + " WHERE state = 'running' GROUP BY lane";

  private SqliteActiveJobs() {}

  /** Moves up to {@code limit} due scheduled jobs to ready; returns them as they are now. */
  static List<Job> promoteDue(Connection c, Instant now, int limit, Consumer<String> readyLanes)
      throws SQLException {
    return DueJobs.promote(c, PROMOTE, now, limit, readyLanes);
  }

  /** Running jobs whose lease expired before {@code now}, oldest expiry first. */
  static List<Job> expiredLeases(Connection c, Instant now, int limit) throws SQLException {
    return DueJobs.jobs(c, EXPIRED, now, limit);
  }

  /** The earliest {@code run_at} of a scheduled job. */
  static Optional<Instant> nextScheduledRunAt(Connection c) throws SQLException {
    return DueJobs.instant(c, NEXT_RUN_AT);
  }


  /** Active counts per lane holding any, by lane name; four statements, one snapshot. */
  static List<LaneDepth> laneDepths(Connection c) throws SQLException {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Instant> oldestClaimable = oldestInto(c, READY_BY_LANE, counts, 1);
    Map<String, Instant> oldestHeld = oldestInto(c, HELD_BY_LANE, counts, 3);
    countInto(c, SCHEDULED_BY_LANE, counts, 0);
    countInto(c, RUNNING_BY_LANE, counts, 2);
    return LaneDepths.of(counts, oldestClaimable, oldestHeld);
  }

  /** Adds each lane's count to {@code counts[slot]}; returns each lane's oldest run_at. */
  private static Map<String, Instant> oldestInto(Connection c, String sql, Map<String, long[]> counts, int slot)
      throws SQLException {
    Map<String, Instant> oldest = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.computeIfAbsent(rs.getString(1), k -> new long[4])[slot] += rs.getLong(2);
        oldest.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(3)));
      }
    }
    return oldest;
  }

  private static void countInto(Connection c, String sql, Map<String, long[]> counts, int slot)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.computeIfAbsent(rs.getString(1), k -> new long[4])[slot] = rs.getLong(2);
      }
    }
  }

  /**
   * Jobs by state without a full (state, id) index: active states and the rare end states are
   * counted from their partial indexes, succeeded as the remainder of a count of the whole table
   * (which SQLite answers from its smallest index).
   */
  static Map<JobState, Long> countByState(Connection c) throws SQLException {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    long total = 0;
    try (PreparedStatement ps = c.prepareStatement(COUNT_BY_STATE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long n = rs.getLong(2);
        if (rs.getString(1).equals("total")) {
          total = n;
        } else if (n > 0) {
          counts.put(JobState.fromWire(rs.getString(1)), n);
        }
      }
    }
    long succeeded = total - counts.values().stream().mapToLong(Long::longValue).sum();
    if (succeeded > 0) {
      counts.put(JobState.SUCCEEDED, succeeded);
    }
    return counts;
  }

  private static final String COUNT_BY_STATE =
      "SELECT 'scheduled', count(*) FROM jobs INDEXED BY jobs_scheduled_due WHERE state = 'scheduled'"
          + " UNION ALL SELECT 'ready', count(*) FROM jobs INDEXED BY jobs_ready_claim WHERE state = 'ready' AND held_by IS NULL"
          + " UNION ALL SELECT 'ready', count(*) FROM jobs INDEXED BY jobs_held WHERE held_by IS NOT NULL AND state = 'ready'"
          + " UNION ALL SELECT 'running', count(*) FROM jobs INDEXED BY jobs_running_lease"
          + " WHERE state = 'running'"
          + " UNION ALL SELECT state, count(*) FROM jobs INDEXED BY jobs_state_id"
          + " WHERE state IN ('dead', 'cancelled') GROUP BY state"
          + " UNION ALL SELECT 'total', count(*) FROM jobs";
}
