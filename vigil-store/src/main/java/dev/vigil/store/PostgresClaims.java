package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.job.Lane;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.internal.JobRows;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Leases ready jobs on PostgreSQL: one statement per lane, sized to the quota, safe against any
 * number of concurrent claimers on any number of nodes.
 *
 * <p>The statement locks the lane's next ready rows with {@code FOR UPDATE SKIP LOCKED} (read
 * from the partial index {@code jobs_ready_claim} in claim order, so claimers never wait for each
 * other and never take the same row) and updates exactly those rows to running, each with a
 * fresh lease token from {@code gen_random_uuid()} (PostgreSQL's strong random source). A paused
 * lane is refused inside the same statement by a one-time check of {@code lane_state}.
 *
 * <p>A lane with a finite cap is counted cluster-wide: its claim runs in a short transaction that
 * first takes a transaction-scoped advisory lock on the lane, then (in a second statement, whose
 * snapshot therefore includes every claim committed before the lock was granted) counts the
 * lane's running jobs and leases at most {@code cap - running}. Claims of the same capped lane
 * thus queue for a moment; claims of other lanes never do. Each lane commits on its own, so a
 * claimer never holds two lane locks and two claimers cannot deadlock on them.
 */
final class PostgresClaims {
  private static final String LOCK_LANE = "SELECT pg_advisory_xact_lock(hashtext(?))";

  private static final Comparator<Job> CLAIM_ORDER =
      Comparator.comparing(Job::runAt).thenComparing(Job::id);

  private PostgresClaims() {}

  /**
   * The lane's next ready job ids, oldest {@code run_at} first, then by id, locked and skipping
   * rows other claimers hold. Binds the lane, the types array when {@code typed}, then the limit.
   * Kept apart for plan checks: it must read {@code jobs_ready_claim}, never scan the table.
   */
  static String nextReadySql(boolean typed) {
    return "SELECT id FROM jobs WHERE state = 'ready' AND lane = ?"
        + (typed ? " AND type = ANY(?)" : "")
        + " ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
  }

  /**
   * Leases the next ready jobs of a lane in one statement; a job's start is never before its {@code
   * run_at} (the claim's clock may lag a job enqueued while the claim waited). Binds started_at,
   * owner, expiry, the lane, the types array when {@code typed}, the lane again (pause check),
   * then either the limit or, when {@code capped}, the quota, the cap and the lane (running count).
   */
  static String leaseSql(boolean typed, boolean capped) {
    String limit =
        capped
            ? "(SELECT greatest(0, least(?, ? - count(*))) FROM jobs"
                + " WHERE state = 'running' AND lane = ?)"
            : "?";
    return "UPDATE jobs SET state = 'running', attempt = attempt + 1,"
        + " started_at = greatest(?::bigint, jobs.run_at),"
        + " lease_owner = ?, lease_token = replace(gen_random_uuid()::text, '-', ''),"
        + " lease_expires_at = ?, progress = NULL, progress_message = NULL"
        + " FROM (SELECT id AS next_id FROM jobs WHERE state = 'ready' AND lane = ?"
        + (typed ? " AND type = ANY(?)" : "")
        + " AND NOT EXISTS (SELECT 1 FROM lane_state WHERE lane_state.lane = ? AND paused)"
        + " ORDER BY run_at, id LIMIT " + limit
        + " FOR UPDATE SKIP LOCKED) next"
        + " WHERE jobs.id = next.next_id"
        + " RETURNING " + JobRows.COLUMNS;
  }

  /** The advisory-lock key of a capped lane: its name, and the schema unless that is public. */
  static String laneLockKey(String schema, String lane) {
    return "public".equals(schema) ? "vigil-lane:" + lane : "vigil-lane:" + schema + "." + lane;
  }

  /** Claims as {@link JobStore#claim} describes, each lane committed on its own. */
  static List<Job> claim(Connection c, ClaimRequest request, String schema) throws SQLException {
    List<Job> claimed = new ArrayList<>();
    boolean typed = !request.types().isEmpty();
    long startedAt = request.now().toEpochMilli();
    long expiresAt = request.now().plus(request.lease()).toEpochMilli();
    Array types = typed ? c.createArrayOf("text", request.types().toArray()) : null;
    for (LaneQuota quota : request.quotas()) {
      boolean capped = quota.laneCap() != Lane.UNLIMITED;
      try (PreparedStatement lease = c.prepareStatement(leaseSql(typed, capped))) {
        int i = 1;
        lease.setLong(i++, startedAt);
        lease.setString(i++, request.workerId());
        lease.setLong(i++, expiresAt);
        lease.setString(i++, quota.lane());
        if (typed) {
          lease.setArray(i++, types);
        }
        lease.setString(i++, quota.lane());
        lease.setInt(i++, quota.max());
        if (capped) {
          lease.setInt(i++, quota.laneCap());
          lease.setString(i, quota.lane());
          claimed.addAll(leaseCapped(c, lease, laneLockKey(schema, quota.lane())));
        } else {
          claimed.addAll(leased(lease));
        }
      }
    }
    return claimed;
  }

  private static List<Job> leaseCapped(Connection c, PreparedStatement lease, String lockKey)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      try (PreparedStatement lock = c.prepareStatement(LOCK_LANE)) {
        lock.setString(1, lockKey);
        lock.execute();
      }
      List<Job> jobs = leased(lease);
      c.commit();
      return jobs;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static List<Job> leased(PreparedStatement lease) throws SQLException {
    List<Job> jobs = new ArrayList<>();
    try (ResultSet rs = lease.executeQuery()) {
      while (rs.next()) {
        jobs.add(JobRows.job(rs));
      }
    }
    jobs.sort(CLAIM_ORDER);
    return jobs;
  }
}
