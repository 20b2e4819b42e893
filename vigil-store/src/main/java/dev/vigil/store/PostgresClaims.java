package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.job.Lane;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.internal.JobHolds;
import dev.vigil.store.internal.JobRows;
import dev.vigil.store.internal.TurnOrder;
import dev.vigil.store.internal.Turns;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
 * <p>A lane with a finite cap is counted cluster-wide: the claim first takes a transaction-scoped
 * advisory lock on the lane, then (in a later statement, whose snapshot therefore includes every
 * claim committed before the lock was granted) counts the lane's running jobs and leases at most
 * {@code cap - running}. Claims of the same capped lane thus queue for a moment; claims of other
 * lanes never do.
 *
 * <p>A claim of several lanes (or of a capped one) is one transaction, so it leases every lane's
 * jobs or none; its lane locks are taken up front in key order, so two claimers cannot deadlock
 * on them. A claim of one uncapped lane is a single statement.
 */
final class PostgresClaims {
  private static final JobHolds HOLDS = new JobHolds(JobHolds.Dialect.POSTGRES);

  private static final String LOCK_LANE = "SELECT pg_advisory_xact_lock(hashtext(?))";

  private PostgresClaims() {}

  /**
   * The lane's next ready job ids, lowest turn first ({@link Turns}), then oldest {@code run_at},
   * then by id, locked and skipping
   * rows other claimers hold. Binds the lane, the types array when {@code typed}, then the limit.
   * Kept apart for plan checks: it must read {@code jobs_ready_claim}, never scan the table.
   */
  static String nextReadySql(boolean typed) {
    return "SELECT id FROM jobs WHERE state = 'ready' AND held_by IS NULL AND lane = ?"
        + (typed ? " AND type = ANY(?)" : "")
        + " ORDER BY turn, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
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
        + " FROM (SELECT id AS next_id FROM jobs WHERE state = 'ready' AND held_by IS NULL AND lane = ?"
        + (typed ? " AND type = ANY(?)" : "")
        + " AND NOT EXISTS (SELECT 1 FROM lane_state WHERE lane_state.lane = ? AND paused)"
        + " ORDER BY turn, run_at, id LIMIT " + limit
        + " FOR UPDATE SKIP LOCKED) next"
        + " WHERE jobs.id = next.next_id"
        + " RETURNING " + JobRows.COLUMNS + ", jobs.turn";
  }

  /** The advisory-lock key of a capped lane: its name, and the schema unless that is public. */
  static String laneLockKey(String schema, String lane) {
    return "public".equals(schema) ? "vigil-lane:" + lane : "vigil-lane:" + schema + "." + lane;
  }

  /**
   * Claims as {@link JobStore#claim} describes, in one transaction: every lane's jobs or none. A
   * claim that fails part-way (a statement timeout on a capped lane's lock, a dropped connection)
   * thus leases nothing, instead of leaving earlier lanes' jobs leased to a claimer that never
   * hears of them. The capped lanes' locks are taken first, in key order, so that two claimers
   * never wait for each other in a cycle.
   */
  static List<Job> claim(Connection c, ClaimRequest request, String schema, Turns turns) throws SQLException {
    if (request.gate() == null && request.quotas().size() == 1 && !capped(request.quotas().getFirst())) {
      LaneQuota only = request.quotas().getFirst();
      return leaseLane(c, request, only, only.max(), turns);
    }
    c.setAutoCommit(false);
    try {
      List<String> lockKeys =
          request.quotas().stream()
              .filter(PostgresClaims::capped)
              .map(q -> laneLockKey(schema, q.lane()))
              .distinct()
              .sorted()
              .toList();
      try (PreparedStatement lock = c.prepareStatement(LOCK_LANE)) {
        for (String key : lockKeys) {
          lock.setString(1, key);
          lock.execute();
        }
      }
      List<Job> claimed = new ArrayList<>();
      for (LaneQuota quota : request.quotas()) {
        claimed.addAll(leaseGated(c, request, quota, turns));
      }
      c.commit();
      return claimed;
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

  private static boolean capped(LaneQuota quota) {
    return quota.laneCap() != Lane.UNLIMITED;
  }

  /**
   * Leases one lane's jobs and asks the claim's gate about the keyed ones; picks again (up to
   * {@link SqliteClaims#HOLD_ROUNDS} times) for the room the held ones left. In the caller's
   * transaction.
   */
  private static List<Job> leaseGated(Connection c, ClaimRequest request, LaneQuota quota, Turns turns)
      throws SQLException {
    List<Job> started = new ArrayList<>();
    int room = quota.max();
    for (int round = 0; round < SqliteClaims.HOLD_ROUNDS && room > 0; round++) {
      List<Job> leased = leaseLane(c, request, quota, room, turns);
      if (leased.isEmpty()) {
        break;
      }
      List<Job> admitted = HOLDS.admit(c, leased, request.gate(), request.now());
      started.addAll(admitted);
      room -= admitted.size();
      if (admitted.size() == leased.size()) {
        break;
      }
    }
    return started;
  }

  /** Leases one lane's jobs in one statement; a capped lane's lock must be held already. */
  private static List<Job> leaseLane(Connection c, ClaimRequest request, LaneQuota quota, int max, Turns turns)
      throws SQLException {
    boolean typed = !request.types().isEmpty();
    boolean capped = capped(quota);
    try (PreparedStatement lease = c.prepareStatement(leaseSql(typed, capped))) {
      int i = 1;
      lease.setLong(i++, request.now().toEpochMilli());
      lease.setString(i++, request.workerId());
      lease.setLong(i++, request.now().plus(request.lease()).toEpochMilli());
      lease.setString(i++, quota.lane());
      if (typed) {
        lease.setArray(i++, c.createArrayOf("text", request.types().toArray()));
      }
      lease.setString(i++, quota.lane());
      lease.setInt(i++, max);
      if (capped) {
        lease.setInt(i++, quota.laneCap());
        lease.setString(i, quota.lane());
      }
      try (ResultSet rs = lease.executeQuery()) {
        return TurnOrder.read(rs, quota.lane(), turns);
      }
    }
  }
}
