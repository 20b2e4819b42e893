package dev.vigil.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.Hold;
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
          + " cancel_requested, lease_owner, lease_token, lease_expires_at, given_back,"
          + " last_error_fingerprint, limit_keys, concurrency_key, cost, held_by, held_key, held_until";

  /** The columns of {@code job_attempts} that {@link #attempt} reads. */
  public static final String ATTEMPT_COLUMNS =
      "attempt, started_at, finished_at, outcome, worker_id, error_type, error_message, error_stack,"
          + " ready_at, error_fingerprint";

  private JobRows() {}

  /** The job on the current row, without attempts; the row must hold {@link #COLUMNS}, in order. */
  public static Job job(ResultSet rs) throws SQLException {
    return Job.builder()
        .id(rs.getString(1))
        .type(rs.getString(2))
        .lane(rs.getString(3))
        .state(JobState.fromWire(rs.getString(4)))
        .attempt(rs.getInt(5))
        .maxAttempts(rs.getInt(6))
        .payloadJson(rs.getString(7))
        .runAt(Jdbc.instant(rs, 8))
        .timeout(Jdbc.duration(rs, 9))
        .uniqueKey(rs.getString(10))
        .correlationId(rs.getString(11))
        .parentId(rs.getString(12))
        .tags(tagsFromJson(rs.getString(13)))
        .createdAt(Jdbc.instant(rs, 14))
        .startedAt(Jdbc.instant(rs, 15))
        .finishedAt(Jdbc.instant(rs, 16))
        .progress(Jdbc.nullableDouble(rs, 17))
        .progressMessage(rs.getString(18))
        .lastError(error(rs.getString(19), rs.getString(20), rs.getString(21), rs.getString(28)))
        .resultJson(rs.getString(22))
        .cancelRequested(rs.getBoolean(23))
        .leaseOwner(rs.getString(24))
        .leaseToken(rs.getString(25))
        .leaseExpiresAt(Jdbc.instant(rs, 26))
        .givenBack(rs.getInt(27))
        .limitKeys(tagsFromJson(rs.getString(29)))
        .concurrencyKey(rs.getString(30))
        .cost(rs.getLong(31))
        .hold(hold(rs.getString(32), rs.getString(33), Jdbc.instant(rs, 34)))
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
        .limitKeys(n.limitKeys())
        .concurrencyKey(n.concurrencyKey())
        .cost(n.cost())
        .build();
  }

  /** The attempt on the current row of {@code job_attempts}, holding {@link #ATTEMPT_COLUMNS} in order. */
  public static Attempt attempt(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getInt(1),
        Jdbc.instant(rs, 2),
        Jdbc.instant(rs, 3),
        AttemptOutcome.fromWire(rs.getString(4)),
        rs.getString(5),
        error(rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(10)),
        Jdbc.instant(rs, 9),
        List.of());
  }

  /** Tags as a JSON array of strings. */
  public static String tagsToJson(List<String> tags) {
    if (tags == null || tags.isEmpty()) {
      return "[]";
    }
    try {
      return JSON.writeValueAsString(tags == null ? List.of() : tags);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tags cannot be written as JSON", e);
    }
  }

  /** Tags from a JSON array of strings; an empty list for SQL NULL. */
  public static List<String> tagsFromJson(String json) {
    if (json == null || json.isEmpty() || json.equals("[]")) {
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

  private static Hold hold(String by, String key, Instant until) {
    return by == null ? null : new Hold(by, key, until);
  }

  private static JobError error(String type, String message, String stack, String fingerprint) {
    return type == null ? null : new JobError(type, message, stack, fingerprint);
  }
}
