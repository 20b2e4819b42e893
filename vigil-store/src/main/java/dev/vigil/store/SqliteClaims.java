package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.internal.Jdbc;
import dev.vigil.store.internal.JobRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Leases ready jobs, quota by quota: SQLite's claim. It relies on running inside the single
 * writer's transaction, where nothing can interleave: it reads the lane's pause flag and (for a
 * capped lane) its running count, then leases the lane's next ready jobs with one {@code UPDATE
 * ... WHERE id IN (next ready ids) RETURNING}, each row with its own random lease token.
 * (PostgreSQL needs {@code FOR UPDATE SKIP LOCKED} instead, so this class is not shared.)
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
      "SELECT count(*) FROM jobs INDEXED BY jobs_running_lease WHERE state = 'running' AND lane = ?";

  private SqliteClaims() {}

  /**
   * Leases the next ready jobs of a lane in one statement: the ids come from the partial ready
   * index, oldest {@code run_at} first, then by id; each row gets its own random lease token from
   * SQLite's ChaCha20-based generator. Binds started_at, owner, expiry, the lane, each type, then
   * the limit.
   *
   * @param typeCount how many types the filter names; 0 for any type
   */
  static String leaseSql(int typeCount) {
    String types = typeCount == 0 ? "" : " AND type IN (" + Jdbc.markers(typeCount) + ")";
    return "UPDATE jobs SET state = 'running', attempt = attempt + 1, started_at = ?,"
        + " lease_owner = ?, lease_token = lower(hex(randomblob(16))), lease_expires_at = ?,"
        + " progress = NULL, progress_message = NULL"
        + " WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_ready_claim WHERE state = 'ready'"
        + " AND lane = ?" + types + " ORDER BY run_at, id LIMIT ?)"
        + " RETURNING " + JobRows.COLUMNS;
  }

  /** The query {@link #leaseSql} leases from, for plan checks. */
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
        PreparedStatement lease = c.prepareStatement(leaseSql(request.types().size()))) {
      for (LaneQuota quota : request.quotas()) {
        if (isPaused(paused, quota.lane())) {
          continue;
        }
        long room =
            quota.laneCap() == Integer.MAX_VALUE
                ? quota.max()
                : Math.min(quota.max(), (long) quota.laneCap() - count(running, quota.lane()));
        if (room <= 0) {
          continue;
        }
        int i = 1;
        lease.setLong(i++, startedAt);
        lease.setString(i++, request.workerId());
        lease.setLong(i++, expiresAt);
        lease.setString(i++, quota.lane());
        for (String type : request.types()) {
          lease.setString(i++, type);
        }
        lease.setLong(i, room);
        List<Job> lane = new ArrayList<>();
        try (var rs = lease.executeQuery()) {
          while (rs.next()) {
            lane.add(JobRows.job(rs));
          }
        }
        lane.sort(CLAIM_ORDER);
        claimed.addAll(lane);
      }
    }
    return claimed;
  }

  private static final Comparator<Job> CLAIM_ORDER =
      Comparator.comparing(Job::runAt).thenComparing(Job::id);

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

}
