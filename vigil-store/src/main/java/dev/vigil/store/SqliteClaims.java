package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.internal.Jdbc;
import dev.vigil.store.internal.JobRows;
import dev.vigil.store.internal.LeaseTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Leases ready jobs, quota by quota: SQLite's claim. It relies on running inside the single
 * writer's transaction, where nothing can interleave: it reads the lane's pause flag, its running
 * count and its next ready ids, then updates exactly those rows (each still fenced on {@code
 * state = 'ready'}), each with its own random lease token. (PostgreSQL needs one {@code UPDATE ...
 * FOR UPDATE SKIP LOCKED} statement instead, so this class is not shared.)
 *
 * <p>Each read names its partial index ({@code INDEXED BY}): without statistics SQLite's planner
 * may prefer the general {@code (lane, id)} listing index, which holds the lane's whole history.
 * Pinned this way a claim touches only the lane's ready and running rows, with a thousand or a
 * million finished jobs alike, and a schema change that drops an index fails loudly instead of
 * degrading into a scan.
 */
final class SqliteClaims {
  private static final String PAUSED = "SELECT paused FROM lane_state WHERE lane = ?";

  /** Counts a lane's running jobs, for its cap. */
  static final String RUNNING_IN_LANE =
      "SELECT count(*) FROM jobs INDEXED BY jobs_running_lane WHERE state = 'running' AND lane = ?";

  private static final String LEASE =
      "UPDATE jobs SET state = 'running', attempt = attempt + 1, started_at = ?,"
          + " lease_owner = ?, lease_token = ?, lease_expires_at = ?, progress = NULL,"
          + " progress_message = NULL"
          + " WHERE id = ? AND state = 'ready'"
          + " RETURNING " + JobRows.COLUMNS;

  private SqliteClaims() {}

  /**
   * The ids of the next ready jobs of a lane, oldest {@code run_at} first, then by id. Binds the
   * lane, then each type, then the limit.
   *
   * @param typeCount how many types the filter names; 0 for any type
   */
  static String nextReadySql(int typeCount) {
    String types = typeCount == 0 ? "" : " AND type IN (" + Jdbc.markers(typeCount) + ")";
    return "SELECT id FROM jobs INDEXED BY jobs_ready_claim WHERE state = 'ready' AND lane = ?"
        + types
        + " ORDER BY run_at, id LIMIT ?";
  }

  /** Claims as {@link dev.vigil.store.JobStore#claim} describes, in the caller's transaction. */
  static List<Job> claim(Connection c, ClaimRequest request) throws SQLException {
    List<Job> claimed = new ArrayList<>();
    if (request.quotas().isEmpty()) {
      return claimed;
    }
    long startedAt = request.now().toEpochMilli();
    long expiresAt = request.now().plus(request.lease()).toEpochMilli();
    try (PreparedStatement paused = c.prepareStatement(PAUSED);
        PreparedStatement running = c.prepareStatement(RUNNING_IN_LANE);
        PreparedStatement next = c.prepareStatement(nextReadySql(request.types().size()));
        PreparedStatement lease = c.prepareStatement(LEASE)) {
      for (LaneQuota quota : request.quotas()) {
        if (isPaused(paused, quota.lane())) {
          continue;
        }
        long room = Math.min(quota.max(), (long) quota.laneCap() - count(running, quota.lane()));
        if (room <= 0) {
          continue;
        }
        for (String id : nextReady(next, quota.lane(), request.types(), (int) room)) {
          lease.setLong(1, startedAt);
          lease.setString(2, request.workerId());
          lease.setString(3, LeaseTokens.next());
          lease.setLong(4, expiresAt);
          lease.setString(5, id);
          try (var rs = lease.executeQuery()) {
            if (rs.next()) {
              claimed.add(JobRows.job(rs));
            }
          }
        }
      }
    }
    return claimed;
  }

  private static boolean isPaused(PreparedStatement ps, String lane) throws SQLException {
    ps.setString(1, lane);
    try (var rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static long count(PreparedStatement ps, String lane) throws SQLException {
    ps.setString(1, lane);
    try (var rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> nextReady(
      PreparedStatement ps, String lane, Set<String> types, int limit) throws SQLException {
    int i = 1;
    ps.setString(i++, lane);
    for (String type : types) {
      ps.setString(i++, type);
    }
    ps.setInt(i, limit);
    List<String> ids = new ArrayList<>();
    try (var rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
