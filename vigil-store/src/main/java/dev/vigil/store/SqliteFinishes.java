package dev.vigil.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.JobState;
import dev.vigil.store.internal.JobTransitions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Ends a batch of attempts on SQLite. Plain successes (no spans), by far the most common finish,
 * are written set-wise: the batch travels as one JSON array parameter that {@code json_each}
 * unpacks, and two statements (copy the attempts, move the jobs on) serve all of them, both
 * fenced on {@code state = 'running' AND lease_token} per row as the single finish is. Every other
 * finish, and a second finish of a job already in the set, takes the per-job statements of {@link
 * JobTransitions}. Statement executions, not rows, are most of the writer's cost per job here.
 */
final class SqliteFinishes {
  private static final JsonFactory JSON = new JsonFactory();

  /** Each element: [job id, lease token, finished at (epoch ms), result JSON text or null]. */
  private static final String FINISHES = "json_each(?) f";

  private static final String COPY_ATTEMPTS =
      "INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome, worker_id,"
          + " error_type, error_message, error_stack, error_fingerprint, ready_at)"
          + " SELECT j.id, j.attempt, j.started_at, f.value ->> 2, '"
          + AttemptOutcome.SUCCEEDED.wireName()
          + "', j.lease_owner, NULL, NULL, NULL, NULL, j.run_at FROM "
          + FINISHES
          + " JOIN jobs j ON j.id = f.value ->> 0 AND j.state = 'running'"
          + " AND j.lease_token = f.value ->> 1";

  private static final String SUCCEED =
      "UPDATE jobs SET state = '"
          + JobState.SUCCEEDED.wireName()
          + "', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,"
          + " cancel_requested = FALSE, finished_at = f.value ->> 2, result = f.value ->> 3"
          + " FROM "
          + FINISHES
          + " WHERE jobs.id = f.value ->> 0 AND jobs.state = 'running'"
          + " AND jobs.lease_token = f.value ->> 1 RETURNING jobs.id";

  private SqliteFinishes() {}

  /**
   * Applies the finishes in the caller's transaction.
   *
   * @return the state each finish that held its lease left its job in, by id
   */
  static Map<String, JobState> finishAll(Connection c, List<Finish> finishes, Consumer<String> readyLanes)
      throws SQLException {
    List<Finish> plain = new ArrayList<>();
    List<Finish> others = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Finish f : finishes) {
      boolean setWise =
          f.outcome() == AttemptOutcome.SUCCEEDED
              && f.nextState() == JobState.SUCCEEDED
              && f.spans().isEmpty()
              && ids.add(f.jobId());
      (setWise ? plain : others).add(f);
    }
    Map<String, JobState> applied = new LinkedHashMap<>();
    if (!plain.isEmpty()) {
      succeedAll(c, plain, applied);
    }
    for (Finish f : others) {
      JobState state = JobTransitions.finishWithoutReadBack(c, f, readyLanes);
      if (state != null) {
        applied.put(f.jobId(), state);
      }
    }
    return applied;
  }

  private static void succeedAll(Connection c, List<Finish> plain, Map<String, JobState> applied)
      throws SQLException {
    String batch = json(plain);
    try (PreparedStatement copy = c.prepareStatement(COPY_ATTEMPTS)) {
      copy.setString(1, batch);
      copy.executeUpdate();
    }
    try (PreparedStatement succeed = c.prepareStatement(SUCCEED)) {
      succeed.setString(1, batch);
      try (ResultSet rs = succeed.executeQuery()) {
        while (rs.next()) {
          applied.put(rs.getString(1), JobState.SUCCEEDED);
        }
      }
    }
  }

  private static String json(List<Finish> finishes) {
    var out = new StringWriter(finishes.size() * 96);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (Finish f : finishes) {
        g.writeStartArray();
        g.writeString(f.jobId());
        g.writeString(f.leaseToken());
        g.writeNumber(f.now().toEpochMilli());
        g.writeString(f.resultJson());
        g.writeEndArray();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
