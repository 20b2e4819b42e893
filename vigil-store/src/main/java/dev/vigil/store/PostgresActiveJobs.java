package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.internal.DueJobs;
import dev.vigil.store.internal.Jdbc;
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
 * The queries over active jobs that run all the time, on PostgreSQL: promotion, the reaper, the
 * next scheduled run, lane depths, state counts. Each is written so that the partial index of its
 * state serves it (see {@code db/migration/postgres/V1__jobs.sql}); PostgreSQL's planner picks
 * them by itself, as it keeps statistics.
 */
final class PostgresActiveJobs {
  /**
   * Promotes due scheduled jobs, earliest {@code run_at} first. {@code SKIP LOCKED}: nodes that
   * promote at the same moment share the due jobs instead of queueing behind each other, and a
   * job being cancelled meanwhile is left to the cancel.
   */
  static final String PROMOTE =
      "UPDATE jobs SET state = 'ready' FROM (SELECT id AS due_id FROM jobs"
          + " WHERE state = 'scheduled' AND run_at <= ? ORDER BY run_at, id LIMIT ?"
          + " FOR UPDATE SKIP LOCKED) due WHERE jobs.id = due.due_id"
          + " RETURNING " + JobRows.COLUMNS;

  /** The reaper's query: running jobs whose lease ran out, oldest expiry first. */
  static final String EXPIRED =
      "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE state = 'running' AND lease_expires_at < ?"
          + " ORDER BY lease_expires_at, id LIMIT ?";

  static final String NEXT_RUN_AT = "SELECT min(run_at) FROM jobs WHERE state = 'scheduled'";

  /**
   * Per lane, in one snapshot: scheduled (0), ready nothing holds (1, with the oldest run_at),
   * running (2), held (3, with the oldest run_at).
   */
  static final String DEPTHS =
      "SELECT lane, 0, count(*), NULL::bigint FROM jobs WHERE state = 'scheduled' GROUP BY lane"
          + " UNION ALL SELECT lane, 1, count(*), min(run_at) FROM jobs WHERE state = 'ready'"
          + " AND held_by IS NULL GROUP BY lane"
          + " UNION ALL SELECT lane, 3, count(*), min(run_at) FROM jobs WHERE held_by IS NOT NULL"
          + " AND state = 'ready' GROUP BY lane"
          + " UNION ALL SELECT lane, 2, count(*), NULL FROM jobs WHERE state = 'running'"
          + " GROUP BY lane";

  /** Counts every state; a scan of the table, for the stats endpoint, not the hot path. */
  static final String COUNT_BY_STATE = "SELECT state, count(*) FROM jobs GROUP BY state";

  private PostgresActiveJobs() {}

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


  /** Active counts per lane holding any, by lane name; one statement, one snapshot. */
  static List<LaneDepth> laneDepths(Connection c) throws SQLException {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Instant> oldestClaimable = new TreeMap<>();
    Map<String, Instant> oldestHeld = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(DEPTHS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String lane = rs.getString(1);
        int slot = rs.getInt(2);
        counts.computeIfAbsent(lane, k -> new long[4])[slot] += rs.getLong(3);
        if (slot == 1 || slot == 3) {
          (slot == 1 ? oldestClaimable : oldestHeld).put(lane, Jdbc.instant(rs, 4));
        }
      }
    }
    return LaneDepths.of(counts, oldestClaimable, oldestHeld);
  }

  /** How many jobs are in each state that has any. */
  static Map<JobState, Long> countByState(Connection c) throws SQLException {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    try (PreparedStatement ps = c.prepareStatement(COUNT_BY_STATE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.put(JobState.fromWire(rs.getString(1)), rs.getLong(2));
      }
    }
    return counts;
  }
}
