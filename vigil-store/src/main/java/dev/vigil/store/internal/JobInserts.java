package dev.vigil.store.internal;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Inserts new jobs, letting the partial unique index on {@code unique_key} decide duplicates. The
 * insert names that index as its {@code ON CONFLICT} target, so a key held by an active job (even
 * one inserted earlier in the same transaction) inserts nothing, and the existing job is read
 * back instead. No check happens in application code: the index is the rule.
 */
public final class JobInserts {
  /** The predicate of the partial unique index {@code jobs_active_unique_key}. */
  public static final String ACTIVE_KEY = "unique_key IS NOT NULL AND state IN ('scheduled', 'ready', 'running')";

  private static final String INSERT =
      "INSERT INTO jobs (id, type, lane, state, attempt, max_attempts, payload, run_at,"
          + " timeout_ms, unique_key, correlation_id, parent_id, tags, created_at)"
          + " VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (unique_key) WHERE " + ACTIVE_KEY + " DO NOTHING"
          + " RETURNING id";

  private static final String ACTIVE_BY_KEY =
      "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE unique_key = ? AND " + ACTIVE_KEY;

  private JobInserts() {}

  /**
   * Inserts each job in order within the caller's transaction.
   *
   * @param readyLanes told the lane of each job inserted as {@code ready}
   * @return per input, the inserted job or the active duplicate (flagged)
   */
  public static List<Job> insert(Connection c, List<NewJob> jobs, Consumer<String> readyLanes)
      throws SQLException {
    List<Job> out = new ArrayList<>(jobs.size());
    try (PreparedStatement insert = c.prepareStatement(INSERT);
        PreparedStatement existing = c.prepareStatement(ACTIVE_BY_KEY)) {
      for (NewJob job : jobs) {
        Job inserted = insertOne(insert, job);
        if (inserted != null) {
          if (inserted.state() == JobState.READY) {
            readyLanes.accept(inserted.lane());
          }
          out.add(inserted);
        } else {
          out.add(activeDuplicate(existing, job));
        }
      }
    }
    return out;
  }

  private static Job insertOne(PreparedStatement ps, NewJob job) throws SQLException {
    ps.setString(1, job.id());
    ps.setString(2, job.type());
    ps.setString(3, job.lane());
    ps.setString(4, job.state().wireName());
    ps.setInt(5, job.maxAttempts());
    ps.setString(6, job.payloadJson());
    Jdbc.setInstant(ps, 7, job.runAt());
    ps.setLong(8, job.timeout().toMillis());
    Jdbc.setString(ps, 9, job.uniqueKey());
    Jdbc.setString(ps, 10, job.correlationId());
    Jdbc.setString(ps, 11, job.parentId());
    ps.setString(12, JobRows.tagsToJson(job.tags()));
    Jdbc.setInstant(ps, 13, job.createdAt());
    try (var rs = ps.executeQuery()) {
      return rs.next() ? JobRows.inserted(job) : null;
    }
  }

  private static Job activeDuplicate(PreparedStatement ps, NewJob job) throws SQLException {
    ps.setString(1, job.uniqueKey());
    try (var rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("insert of job " + job.id() + " was skipped but no active job holds its key");
      }
      return JobRows.job(rs).asDuplicate();
    }
  }
}
