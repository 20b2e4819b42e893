package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.internal.Jdbc;
import dev.vigil.store.internal.JobHolds;
import dev.vigil.store.internal.JobRows;
import dev.vigil.store.internal.TurnOrder;
import dev.vigil.store.internal.Turns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Leases ready jobs, quota by quota: SQLite's claim. It relies on running inside the single
 * writer's transaction, where nothing can interleave: it reads the lane's pause flag and (for a
 * capped lane) its running count, picks the lane's next ready rows from the partial ready index,
 * then leases exactly those rows with one {@code UPDATE ... WHERE rowid IN (?, ...) RETURNING},
 * each row with its own random lease token. (PostgreSQL needs {@code FOR UPDATE SKIP LOCKED}
 * instead, so this class is not shared.)
 *
 * <p>Design note: picking first and leasing by rowid is two statements where one {@code UPDATE
 * ... WHERE id IN (SELECT ... LIMIT ?)} would do, but that one statement costs about 100 µs more
 * per execution in SQLite, whatever its size: more than the whole claim of ten jobs costs this
 * way. The rowid list is padded with NULLs (which match nothing) to the next power of two, so a
 * handful of statement shapes serve every claim size from the writer's statement cache.
 *
 * <p>Each read names its partial index ({@code INDEXED BY}): without statistics SQLite's planner
 * may prefer the general {@code (lane, id)} listing index, which holds the lane's whole history.
 * Pinned this way a claim touches only the lane's ready and running rows, with a thousand or a
 * million finished jobs alike, and a schema change that drops an index fails loudly instead of
 * degrading into a scan.
 */
final class SqliteClaims {
  /** How many times a claim picks again after its gate held some of the jobs it picked. */
  static final int HOLD_ROUNDS = 4;

  private static final JobHolds HOLDS = new JobHolds(JobHolds.Dialect.SQLITE);

  private static final String PAUSED = "SELECT paused FROM lane_state WHERE lane = ?";

  /** Counts a lane's running jobs, for its cap. */
  static final String RUNNING_IN_LANE =
      "SELECT count(*) FROM jobs INDEXED BY jobs_running_lease WHERE state = 'running' AND lane = ?";

  private SqliteClaims() {}

  /**
   * The lane's next ready rows, lowest turn first ({@link Turns}), then oldest {@code run_at}, then
   * by id. Binds the lane, each type, then the limit.
   *
   * @param typeCount how many types the filter names; 0 for any type
   */
  static String nextReadySql(int typeCount) {
    String types = typeCount == 0 ? "" : " AND type IN (" + Jdbc.markers(typeCount) + ")";
    return "SELECT rowid FROM jobs INDEXED BY jobs_ready_claim WHERE state = 'ready' AND held_by IS NULL AND lane = ?"
        + types
        + " ORDER BY turn, run_at, id LIMIT ?";
  }

  /**
   * Leases the rows picked by {@link #nextReadySql}, each with its own random lease token from
   * SQLite's ChaCha20-based generator. The start is the claim's time, or the job's {@code run_at}
   * if that is later: a claim's clock is read before it waits for the writer, and a job enqueued
   * meanwhile must not look as if it started before it was ready. Binds started_at, owner,
   * expiry, then {@code slots} rowids (NULL for the unused ones).
   */
  static String leaseSql(int slots) {
    return "UPDATE jobs SET state = 'running', attempt = attempt + 1, started_at = max(?, run_at),"
        + " lease_owner = ?, lease_token = lower(hex(randomblob(16))), lease_expires_at = ?,"
        + " progress = NULL, progress_message = NULL"
        + " WHERE rowid IN (" + Jdbc.markers(slots) + ") AND state = 'ready'"
        + " RETURNING " + JobRows.COLUMNS + ", turn";
  }

  /** Claims as {@link dev.vigil.store.JobStore#claim} describes, in the caller's transaction. */
  static List<Job> claim(Connection c, ClaimRequest request, Turns turns) throws SQLException {
    List<Job> claimed = new ArrayList<>();
    if (request.quotas().isEmpty()) {
      return claimed;
    }
    long startedAt = request.now().toEpochMilli();
    long expiresAt = request.now().plus(request.lease()).toEpochMilli();
    try (PreparedStatement paused = c.prepareStatement(PAUSED);
        PreparedStatement running = c.prepareStatement(RUNNING_IN_LANE);
        PreparedStatement next = c.prepareStatement(nextReadySql(request.types().size()))) {
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
        for (int round = 0; round < HOLD_ROUNDS && room > 0; round++) {
          List<Long> rows = pick(next, quota.lane(), request.types(), room);
          if (rows.isEmpty()) {
            break;
          }
          List<Job> leased = lease(c, rows, request.workerId(), startedAt, expiresAt, quota.lane(), turns);
          List<Job> started = HOLDS.admit(c, leased, request.gate(), request.now());
          claimed.addAll(started);
          room -= started.size();
          if (started.size() == leased.size()) {
            break;
          }
        }
      }
    }
    return claimed;
  }

  private static List<Long> pick(PreparedStatement next, String lane, Set<String> types, long room)
      throws SQLException {
    int i = 1;
    next.setString(i++, lane);
    for (String type : types) {
      next.setString(i++, type);
    }
    next.setLong(i, room);
    List<Long> rows = new ArrayList<>();
    try (var rs = next.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getLong(1));
      }
    }
    return rows;
  }

  private static List<Job> lease(
      Connection c, List<Long> rows, String workerId, long startedAt, long expiresAt, String laneName, Turns turns)
      throws SQLException {
    int slots = rows.size() == 1 ? 1 : Integer.highestOneBit(rows.size() - 1) << 1;
    try (PreparedStatement lease = c.prepareStatement(leaseSql(slots))) {
      lease.setLong(1, startedAt);
      lease.setString(2, workerId);
      lease.setLong(3, expiresAt);
      for (int k = 0; k < slots; k++) {
        if (k < rows.size()) {
          lease.setLong(4 + k, rows.get(k));
        } else {
          lease.setNull(4 + k, Types.BIGINT);
        }
      }
      try (var rs = lease.executeQuery()) {
        return TurnOrder.read(rs, laneName, turns);
      }
    }
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

}
