package dev.vigil.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.JobSpan;
import dev.vigil.store.Finish;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of finished attempts ({@code job_spans}): written with the attempt in the finish's
 * transaction, read back by {@code get}. Portable SQL; attributes are a JSON object of strings.
 */
public final class SpanStatements {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {};

  /** The attempt number comes from the job row, which the finish's fenced copy just matched. */
  private static final String INSERT =
      "INSERT INTO job_spans (job_id, attempt, seq, name, started_at, duration_us, attributes)"
          + " SELECT id, attempt, ?, ?, ?, ?, ? FROM jobs WHERE id = ?";

  private static final String BY_JOB =
      "SELECT attempt, name, started_at, duration_us, attributes FROM job_spans"
          + " WHERE job_id = ? ORDER BY attempt, seq";

  private SpanStatements() {}

  /**
   * Stores the finish's spans under the job's current attempt; call only after the attempt row was
   * written under the lease, in the same transaction. No statement when there are no spans.
   */
  public static void insert(Connection c, Finish f) throws SQLException {
    List<JobSpan> spans = f.spans();
    if (spans.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (int seq = 0; seq < spans.size(); seq++) {
        JobSpan s = spans.get(seq);
        ps.setInt(1, seq);
        ps.setString(2, s.name());
        Jdbc.setInstant(ps, 3, s.start());
        ps.setLong(4, s.duration().toNanos() / 1_000);
        Jdbc.setString(ps, 5, attributesToJson(s.attributes()));
        ps.setString(6, f.jobId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The spans of every finished attempt of a job, by attempt number, each list in order. */
  public static Map<Integer, List<JobSpan>> byAttempt(Connection c, String jobId) throws SQLException {
    var out = new HashMap<Integer, List<JobSpan>>();
    try (PreparedStatement ps = c.prepareStatement(BY_JOB)) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          var span =
              new JobSpan(
                  rs.getString(2),
                  Jdbc.instant(rs, 3),
                  Duration.ofNanos(rs.getLong(4) * 1_000),
                  attributesFromJson(rs.getString(5)));
          out.computeIfAbsent(rs.getInt(1), a -> new ArrayList<>()).add(span);
        }
      }
    }
    return out;
  }

  private static String attributesToJson(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(attributes);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("span attributes cannot be written as JSON", e);
    }
  }

  private static Map<String, String> attributesFromJson(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, ATTRIBUTES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored span attributes are not a JSON object of strings", e);
    }
  }
}
