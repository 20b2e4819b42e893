package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.store.internal.Jdbc;
import dev.vigil.store.internal.JobRows;
import dev.vigil.store.internal.JobTransitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Ends attempts on PostgreSQL: each finish is one fenced statement, and a batch of them is one
 * JDBC batch (one round trip) in one transaction.
 *
 * <p>The statement locks the job row only if it is still running under the finish's lease token
 * ({@code held}, {@code FOR UPDATE}: a concurrent finish of the same job, such as the reaper's and
 * the worker's, waits and then finds the token gone), copies the attempt from the locked row into
 * {@code job_attempts} (its {@code run_at} becoming the attempt's ready time), writes the
 * attempt's spans (passed as arrays, so none costs nothing), and moves the row on (to
 * {@code cancelled} instead of a retry, a give-back or {@code dead} when a cancellation was
 * requested). A rescue's finish also requires the lease to have expired, in the same condition as
 * the token. A stale finish locks nothing and changes nothing:
 * its update count is 0. One statement shape serves every next state (the columns a state does
 * not write keep their value through {@code CASE}), so a batch is a single statement kind, and
 * its rows are locked in job-id order, which keeps two concurrent batches from deadlocking.
 */
final class PostgresFinishes {
  private static final String FINISH =
      "WITH held AS (SELECT id AS held_id, attempt AS held_attempt,"
          + " started_at AS held_started_at, lease_owner AS held_owner, run_at AS held_run_at"
          + " FROM jobs WHERE id = ? AND state = 'running' AND lease_token = ?"
          + " AND (?::bigint IS NULL OR lease_expires_at < ?::bigint) FOR UPDATE),"
          + " copied AS (INSERT INTO job_attempts (job_id, attempt, started_at, finished_at,"
          + " outcome, worker_id, error_type, error_message, error_stack, error_fingerprint, ready_at)"
          + " SELECT held_id, held_attempt, held_started_at, ?, ?, held_owner, ?, ?, ?, ?,"
          + " held_run_at FROM held),"
          + " spanned AS (INSERT INTO job_spans (job_id, attempt, seq, name, started_at,"
          + " duration_us, attributes)"
          + " SELECT held_id, held_attempt, s.ord - 1, s.name, s.started_at, s.duration_us,"
          + " s.attributes FROM held, unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[])"
          + " WITH ORDINALITY AS s(name, started_at, duration_us, attributes, ord))"
          + " UPDATE jobs SET"
          + " state = CASE WHEN ?::boolean AND jobs.cancel_requested THEN 'cancelled' ELSE ? END,"
          + " lease_owner = NULL, lease_token = NULL,"
          + " lease_expires_at = NULL, cancel_requested = FALSE,"
          + " given_back = given_back + CASE WHEN ?::boolean THEN 1 ELSE 0 END,"
          + " run_at = CASE WHEN ?::boolean THEN ?::bigint ELSE run_at END,"
          + " finished_at = CASE WHEN ?::boolean OR (?::boolean AND jobs.cancel_requested)"
          + " THEN ?::bigint ELSE finished_at END,"
          + " result = CASE WHEN ?::boolean THEN ?::text ELSE result END,"
          + " last_error_type = CASE WHEN ?::boolean THEN ?::text ELSE last_error_type END,"
          + " last_error_message = CASE WHEN ?::boolean THEN ?::text ELSE last_error_message END,"
          + " last_error_stack = CASE WHEN ?::boolean THEN ?::text ELSE last_error_stack END,"
          + " last_error_fingerprint = CASE WHEN ?::boolean THEN ?::text ELSE last_error_fingerprint END"
          + " FROM held WHERE jobs.id = held.held_id";

  private static final String FINISH_AND_READ = FINISH + " RETURNING " + JobRows.COLUMNS;

  private static final String STATES_OF = "SELECT id, lane, state FROM jobs WHERE id = ANY(?)";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PostgresFinishes() {}

  /**
   * Ends one attempt as {@link Finish} describes, in the caller's transaction.
   *
   * @throws LeaseLostException if the job is not running under that token (nothing changes)
   * @throws JobNotFoundException if there is no such job
   */
  static Job finish(Connection c, Finish f, Consumer<String> readyLanes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FINISH_AND_READ)) {
      bind(ps, f);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          Job job = JobRows.job(rs);
          if (job.state() == JobState.READY) {
            readyLanes.accept(job.lane());
          }
          return job;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM jobs WHERE id = ?")) {
      ps.setString(1, f.jobId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new JobNotFoundException(f.jobId());
        }
      }
    }
    throw new LeaseLostException(f.jobId());
  }

  /**
   * Ends many attempts in the caller's transaction: one JDBC batch, rows locked in job-id order.
   * The state of the few that may have yielded to a cancellation (retries, give-backs, dead) is
   * read back in one more statement, with their lanes for the ready listeners.
   *
   * @return the state each finish that held its lease left its job in, by id
   */
  static Map<String, JobState> finishAll(Connection c, List<Finish> finishes, Consumer<String> readyLanes)
      throws SQLException {
    List<Finish> ordered = new ArrayList<>(finishes);
    ordered.sort(Comparator.comparing(Finish::jobId));
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(FINISH)) {
      for (Finish f : ordered) {
        bind(ps, f);
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    Map<String, JobState> applied = new LinkedHashMap<>();
    List<String> mayHaveYielded = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      if (counts[i] > 0) {
        Finish f = ordered.get(i);
        applied.put(f.jobId(), f.nextState());
        if (JobTransitions.yieldsToCancel(f.nextState())) {
          mayHaveYielded.add(f.jobId());
        }
      }
    }
    if (!mayHaveYielded.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(STATES_OF)) {
        ps.setArray(1, c.createArrayOf("text", mayHaveYielded.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JobState state = JobState.fromWire(rs.getString(3));
            applied.put(rs.getString(1), state);
            if (state == JobState.READY) {
              readyLanes.accept(rs.getString(2));
            }
          }
        }
      }
    }
    return applied;
  }

  private static void bind(PreparedStatement ps, Finish f) throws SQLException {
    JobState next = f.nextState();
    JobError error = f.error();
    boolean writesError = error != null && next != JobState.SUCCEEDED;
    int i = 1;
    ps.setString(i++, f.jobId());
    ps.setString(i++, f.leaseToken());
    Jdbc.setInstant(ps, i++, f.expiredBefore());
    Jdbc.setInstant(ps, i++, f.expiredBefore());
    Jdbc.setInstant(ps, i++, f.now());
    ps.setString(i++, f.outcome().wireName());
    Jdbc.setString(ps, i++, error == null ? null : error.type());
    Jdbc.setString(ps, i++, error == null ? null : error.message());
    Jdbc.setString(ps, i++, error == null ? null : error.stack());
    Jdbc.setString(ps, i++, error == null ? null : error.fingerprint());
    i = bindSpans(ps, i, f.spans());
    boolean yields = JobTransitions.yieldsToCancel(next);
    ps.setBoolean(i++, yields);
    ps.setString(i++, next.wireName());
    ps.setBoolean(i++, next == JobState.READY);
    ps.setBoolean(i++, next == JobState.SCHEDULED);
    Jdbc.setInstant(ps, i++, next == JobState.SCHEDULED ? f.retryAt() : null);
    ps.setBoolean(i++, next.isTerminal());
    ps.setBoolean(i++, yields);
    Jdbc.setInstant(ps, i++, f.now());
    ps.setBoolean(i++, next == JobState.SUCCEEDED);
    Jdbc.setString(ps, i++, f.resultJson());
    ps.setBoolean(i++, writesError);
    Jdbc.setString(ps, i++, writesError ? error.type() : null);
    ps.setBoolean(i++, writesError);
    Jdbc.setString(ps, i++, writesError ? error.message() : null);
    ps.setBoolean(i++, writesError);
    Jdbc.setString(ps, i++, writesError ? error.stack() : null);
    ps.setBoolean(i++, writesError);
    Jdbc.setString(ps, i, writesError ? error.fingerprint() : null);
  }

  private static int bindSpans(PreparedStatement ps, int i, List<JobSpan> spans)
      throws SQLException {
    int n = spans.size();
    String[] names = new String[n];
    Long[] starts = new Long[n];
    Long[] micros = new Long[n];
    String[] attributes = new String[n];
    for (int k = 0; k < n; k++) {
      JobSpan span = spans.get(k);
      names[k] = span.name();
      starts[k] = span.start().toEpochMilli();
      micros[k] = span.duration().toNanos() / 1_000;
      attributes[k] = attributesJson(span.attributes());
    }
    Connection c = ps.getConnection();
    ps.setArray(i++, c.createArrayOf("text", names));
    ps.setArray(i++, c.createArrayOf("int8", starts));
    ps.setArray(i++, c.createArrayOf("int8", micros));
    ps.setArray(i++, c.createArrayOf("text", attributes));
    return i;
  }

  /** Span attributes as {@code SpanStatements} reads them: a JSON object, or null for none. */
  private static String attributesJson(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(attributes);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("span attributes cannot be written as JSON", e);
    }
  }
}
