package dev.vigil.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.store.NewJob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Maps rows of {@code jobs} and {@code job_attempts} to the job model, and tags to and from their
 * JSON text. Every query that builds a {@link Job} selects {@link #COLUMNS} (or {@code *}).
 */
public final class JobRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /** The columns of {@code jobs} that {@link #job} reads. */
  public static final String COLUMNS =
      "id, type, lane, state, attempt, max_attempts, payload, run_at, timeout_ms, unique_key,"
          + " correlation_id, parent_id, tags, created_at, started_at, finished_at, progress,"
          + " progress_message, last_error_type, last_error_message, last_error_stack, result,"
          + " cancel_requested, lease_owner, lease_token, lease_expires_at";

  /** The columns of {@code job_attempts} that {@link #attempt} reads. */
  public static final String ATTEMPT_COLUMNS =
      "attempt, started_at, finished_at, outcome, worker_id, error_type, error_message, error_stack";

  private JobRows() {}

  /** The job on the current row, without attempts. */
  public static Job job(ResultSet rs) throws SQLException {
    return Job.builder()
        .id(rs.getString("id"))
        .type(rs.getString("type"))
        .lane(rs.getString("lane"))
        .state(JobState.fromWire(rs.getString("state")))
        .attempt(rs.getInt("attempt"))
        .maxAttempts(rs.getInt("max_attempts"))
        .payloadJson(rs.getString("payload"))
        .runAt(Jdbc.instant(rs, "run_at"))
        .timeout(Jdbc.duration(rs, "timeout_ms"))
        .uniqueKey(rs.getString("unique_key"))
        .correlationId(rs.getString("correlation_id"))
        .parentId(rs.getString("parent_id"))
        .tags(tagsFromJson(rs.getString("tags")))
        .createdAt(Jdbc.instant(rs, "created_at"))
        .startedAt(Jdbc.instant(rs, "started_at"))
        .finishedAt(Jdbc.instant(rs, "finished_at"))
        .progress(Jdbc.nullableDouble(rs, "progress"))
        .progressMessage(rs.getString("progress_message"))
        .lastError(
            error(
                rs.getString("last_error_type"),
                rs.getString("last_error_message"),
                rs.getString("last_error_stack")))
        .resultJson(rs.getString("result"))
        .cancelRequested(rs.getBoolean("cancel_requested"))
        .leaseOwner(rs.getString("lease_owner"))
        .leaseToken(rs.getString("lease_token"))
        .leaseExpiresAt(Jdbc.instant(rs, "lease_expires_at"))
        .build();
  }

  /**
   * A new job exactly as {@link #job} would read it back after its insert: nothing run yet, and
   * instants at the stored millisecond precision. Saves reading back every column of every
   * inserted row.
   */
  public static Job inserted(NewJob n) {
    return Job.builder()
        .id(n.id())
        .type(n.type())
        .lane(n.lane())
        .state(n.state())
        .attempt(0)
        .maxAttempts(n.maxAttempts())
        .payloadJson(n.payloadJson())
        .runAt(millis(n.runAt()))
        .timeout(Duration.ofMillis(n.timeout().toMillis()))
        .uniqueKey(n.uniqueKey())
        .correlationId(n.correlationId())
        .parentId(n.parentId())
        .tags(n.tags())
        .createdAt(millis(n.createdAt()))
        .build();
  }

  /** The attempt on the current row of {@code job_attempts}. */
  public static Attempt attempt(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getInt("attempt"),
        Jdbc.instant(rs, "started_at"),
        Jdbc.instant(rs, "finished_at"),
        AttemptOutcome.fromWire(rs.getString("outcome")),
        rs.getString("worker_id"),
        error(rs.getString("error_type"), rs.getString("error_message"), rs.getString("error_stack")));
  }

  /** Tags as a JSON array of strings. */
  public static String tagsToJson(List<String> tags) {
    try {
      return JSON.writeValueAsString(tags == null ? List.of() : tags);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tags cannot be written as JSON", e);
    }
  }

  /** Tags from a JSON array of strings; an empty list for SQL NULL. */
  public static List<String> tagsFromJson(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored tags are not a JSON array of strings", e);
    }
  }

  private static Instant millis(Instant t) {
    return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
  }

  private static JobError error(String type, String message, String stack) {
    return type == null ? null : new JobError(type, message, stack);
  }
}
