package dev.vigil.store.internal;

import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.store.Finish;
import dev.vigil.store.HeartbeatResult;
import dev.vigil.store.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The state changes of existing jobs: finish, heartbeat, cancel, retry. Each runs in the caller's
 * write transaction and throws the SPI's exceptions ({@link LeaseLostException}, {@link
 * JobNotFoundException}, {@link IllegalTransitionException}) before changing anything. Updates of
 * running jobs are fenced in SQL on {@code state = 'running' AND lease_token = ?} as well, so the
 * statements stay correct on a store with concurrent writers.
 */
public final class JobTransitions {
  private static final String CURRENT =
      "SELECT state, lease_token, attempt, started_at, lease_owner, unique_key FROM jobs WHERE id = ?";

  /**
   * Records the running attempt, copied from the job row (its run_at as the attempt's ready time),
   * only while the lease is held.
   */
  private static final String COPY_ATTEMPT =
      "INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome, worker_id,"
          + " error_type, error_message, error_stack, error_fingerprint, ready_at)"
          + " SELECT id, attempt, started_at, ?, ?, lease_owner, ?, ?, ?, ?, run_at FROM jobs";

  private static final String FENCE = " WHERE id = ? AND state = 'running' AND lease_token = ?";

  /** The rescue's extra fence: the lease must have expired (binds the instant). */
  private static final String EXPIRED = " AND lease_expires_at < ?";

  private static final String RELEASE_LEASE =
      "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, cancel_requested = FALSE";

  /**
   * A claim undone: the attempt number and {@code started_at} go back to the previous attempt's
   * (read from its row), or the job ends cancelled if that was asked meanwhile. Binds now, the job
   * id and the lease token.
   */
  private static final String UNCLAIM =
      "UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'ready' END,"
          + " finished_at = CASE WHEN cancel_requested THEN ? ELSE finished_at END,"
          + " attempt = attempt - 1,"
          + " started_at = (SELECT a.started_at FROM job_attempts a"
          + " WHERE a.job_id = jobs.id AND a.attempt = jobs.attempt - 1),"
          + " progress = NULL, progress_message = NULL, "
          + RELEASE_LEASE
          + FENCE
          + " RETURNING lane, state";

  private JobTransitions() {}

  /**
   * Ends the current attempt as {@link Finish} describes.
   *
   * @throws LeaseLostException if the job is not running under that token (nothing changes)
   * @throws JobNotFoundException if there is no such job
   */
  public static Job finish(Connection c, Finish f, Consumer<String> readyLanes) throws SQLException {
    Job job = finishIfHeld(c, f, readyLanes);
    if (job == null) {
      requireExists(c, f.jobId());
      throw new LeaseLostException(f.jobId());
    }
    return job;
  }

  /**
   * Ends the current attempt as {@link Finish} describes if the job is still running under the
   * finish's lease token, and returns the job as it is now; otherwise changes nothing and returns
   * null.
   */
  public static Job finishIfHeld(Connection c, Finish f, Consumer<String> readyLanes)
      throws SQLException {
    if (!copyAttempt(c, f)) {
      return null;
    }
    SpanStatements.insert(c, f);
    try (PreparedStatement ps = c.prepareStatement(updateSql(f, JobRows.COLUMNS))) {
      bindUpdate(ps, f);
      Job job = single(ps, () -> new LeaseLostException(f.jobId()));
      if (job.state() == JobState.READY) {
        readyLanes.accept(job.lane());
      }
      return job;
    }
  }

  /**
   * As {@link #finishIfHeld}, reading back only the state: for batches. Two statements, both
   * fenced: the attempt row is copied from the job row as it is, then the job row moves on.
   *
   * @return the state the finish left the job in, or null when it did not hold its lease
   */
  public static JobState finishWithoutReadBack(Connection c, Finish f, Consumer<String> readyLanes)
      throws SQLException {
    if (!copyAttempt(c, f)) {
      return null;
    }
    SpanStatements.insert(c, f);
    try (PreparedStatement ps = c.prepareStatement(updateSql(f, "lane, state"))) {
      bindUpdate(ps, f);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        JobState state = JobState.fromWire(rs.getString(2));
        if (state == JobState.READY) {
          readyLanes.accept(rs.getString(1));
        }
        return state;
      }
    }
  }

  private static boolean copyAttempt(Connection c, Finish f) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COPY_ATTEMPT + fence(f))) {
      Jdbc.setInstant(ps, 1, f.now());
      ps.setString(2, f.outcome().wireName());
      int i = setError(ps, 3, f.error());
      bindFence(ps, i, f);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * The update of a finish. A next state other than success gives way to a requested
   * cancellation: the job ends cancelled instead ({@link Finish}).
   */
  private static String updateSql(Finish f, String returning) {
    JobState next = f.nextState();
    boolean yields = yieldsToCancel(next);
    return "UPDATE jobs SET "
        + (yields ? "state = CASE WHEN cancel_requested THEN 'cancelled' ELSE ? END, " : "state = ?, ")
        + RELEASE_LEASE
        + (next == JobState.SCHEDULED ? ", run_at = ?" : "")
        + (next.isTerminal() ? ", finished_at = ?" : "")
        + (!next.isTerminal() && yields ? ", finished_at = CASE WHEN cancel_requested THEN ? ELSE finished_at END" : "")
        + (next == JobState.READY ? ", given_back = given_back + 1" : "")
        + (next == JobState.SUCCEEDED ? ", result = ?" : "")
        + (writesError(f) ? ", last_error_type = ?, last_error_message = ?, last_error_stack = ?, last_error_fingerprint = ?" : "")
        + fence(f)
        + " RETURNING " + returning;
  }

  private static void bindUpdate(PreparedStatement ps, Finish f) throws SQLException {
    JobState next = f.nextState();
    int i = 1;
    ps.setString(i++, next.wireName());
    if (next == JobState.SCHEDULED) {
      Jdbc.setInstant(ps, i++, f.retryAt());
    }
    if (next.isTerminal() || yieldsToCancel(next)) {
      Jdbc.setInstant(ps, i++, f.now());
    }
    if (next == JobState.SUCCEEDED) {
      Jdbc.setString(ps, i++, f.resultJson());
    }
    if (writesError(f)) {
      i = setError(ps, i, f.error());
    }
    bindFence(ps, i, f);
  }

  /** Whether a finish to this state ends the job cancelled when a cancellation was requested. */
  public static boolean yieldsToCancel(JobState next) {
    return next == JobState.SCHEDULED || next == JobState.READY || next == JobState.DEAD;
  }

  private static String fence(Finish f) {
    return f.expiredBefore() == null ? FENCE : FENCE + EXPIRED;
  }

  private static void bindFence(PreparedStatement ps, int i, Finish f) throws SQLException {
    ps.setString(i++, f.jobId());
    ps.setString(i++, f.leaseToken());
    if (f.expiredBefore() != null) {
      Jdbc.setInstant(ps, i, f.expiredBefore());
    }
  }

  private static boolean writesError(Finish f) {
    return f.error() != null && f.nextState() != JobState.SUCCEEDED;
  }

  /**
   * Undoes claims that nobody started, each fenced by its lease token, as {@link
   * dev.vigil.store.JobStore#unclaim} describes.
   */
  public static Map<String, JobState> unclaim(
      Connection c, List<Lease> leases, Instant now, Consumer<String> readyLanes) throws SQLException {
    Map<String, JobState> after = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(UNCLAIM)) {
      for (Lease lease : leases) {
        Jdbc.setInstant(ps, 1, now);
        ps.setString(2, lease.jobId());
        ps.setString(3, lease.token());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            JobState state = JobState.fromWire(rs.getString(2));
            after.put(lease.jobId(), state);
            if (state == JobState.READY) {
              readyLanes.accept(rs.getString(1));
            }
          }
        }
      }
    }
    return after;
  }

  /** Extends a lease, fenced by its token; {@code progress} null leaves progress unchanged. */
  public static HeartbeatResult heartbeat(
      Connection c, String jobId, String leaseToken, Instant newExpiry, Double progress,
      String message) throws SQLException {
    String sql =
        "UPDATE jobs SET lease_expires_at = ?"
            + (progress != null ? ", progress = ?, progress_message = ?" : "")
            + (progress == null && message != null ? ", progress_message = ?" : "")
            + FENCE + " RETURNING lease_expires_at, cancel_requested";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      Jdbc.setInstant(ps, i++, newExpiry);
      if (progress != null) {
        ps.setDouble(i++, progress);
        Jdbc.setString(ps, i++, message);
      } else if (message != null) {
        ps.setString(i++, message);
      }
      ps.setString(i++, jobId);
      ps.setString(i, leaseToken);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return new HeartbeatResult(
              Jdbc.instant(rs, "lease_expires_at"), rs.getBoolean("cancel_requested"));
        }
      }
    }
    requireExists(c, jobId);
    throw new LeaseLostException(jobId);
  }

  /** Cancels at once when scheduled or ready; asks a running job's worker to stop. */
  public static Job cancel(Connection c, String jobId, Instant now) throws SQLException {
    JobState state = currentState(c, jobId);
    String sql =
        switch (state) {
          case SCHEDULED, READY ->
              "UPDATE jobs SET state = 'cancelled', finished_at = ?,"
                  + " held_by = NULL, held_key = NULL, held_until = NULL WHERE id = ? RETURNING ";
          case RUNNING -> "UPDATE jobs SET cancel_requested = TRUE WHERE id = ? RETURNING ";
          default -> throw new IllegalTransitionException(jobId, state, JobState.CANCELLED);
        };
    try (PreparedStatement ps = c.prepareStatement(sql + JobRows.COLUMNS)) {
      int i = 1;
      if (state != JobState.RUNNING) {
        Jdbc.setInstant(ps, i++, now);
      }
      ps.setString(i, jobId);
      return single(ps, () -> new JobNotFoundException(jobId));
    }
  }

  /** Sends a dead or cancelled job back to ready, unless its unique key is taken again. */
  public static Job retry(Connection c, String jobId, Instant now, Consumer<String> readyLanes)
      throws SQLException {
    String uniqueKey;
    try (PreparedStatement ps = c.prepareStatement(CURRENT)) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new JobNotFoundException(jobId);
        }
        JobState state = JobState.fromWire(rs.getString("state"));
        if (state != JobState.DEAD && state != JobState.CANCELLED) {
          throw new IllegalTransitionException(jobId, state, JobState.READY);
        }
        uniqueKey = rs.getString("unique_key");
        if (uniqueKey != null && activeKeyHolder(c, uniqueKey)) {
          throw new IllegalTransitionException(
              jobId, state, JobState.READY,
              "job " + jobId + " cannot go back to ready: another active job holds its unique key");
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET state = 'ready', run_at = ?, finished_at = NULL, " + RELEASE_LEASE
                + " WHERE id = ? RETURNING " + JobRows.COLUMNS)) {
      Jdbc.setInstant(ps, 1, now);
      ps.setString(2, jobId);
      Job job = single(ps, () -> new JobNotFoundException(jobId));
      readyLanes.accept(job.lane());
      return job;
    }
  }

  /** The job's state. @throws JobNotFoundException if there is no such job */
  static JobState currentState(Connection c, String jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT state FROM jobs WHERE id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new JobNotFoundException(jobId);
        }
        return JobState.fromWire(rs.getString(1));
      }
    }
  }

  private static void requireExists(Connection c, String jobId) throws SQLException {
    currentState(c, jobId);
  }

  private static boolean activeKeyHolder(Connection c, String uniqueKey) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM jobs WHERE unique_key = ? AND " + JobInserts.ACTIVE_KEY)) {
      ps.setString(1, uniqueKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int setError(PreparedStatement ps, int i, JobError error) throws SQLException {
    Jdbc.setString(ps, i, error == null ? null : error.type());
    Jdbc.setString(ps, i + 1, error == null ? null : error.message());
    Jdbc.setString(ps, i + 2, error == null ? null : error.stack());
    Jdbc.setString(ps, i + 3, error == null ? null : error.fingerprint());
    return i + 4;
  }

  private static Job single(PreparedStatement ps, Supplier<RuntimeException> none)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw none.get();
      }
      return JobRows.job(rs);
    }
  }
}
