package dev.vigil.store.internal;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.function.Consumer;

/**
 * Inserts new jobs, letting the partial unique index on {@code unique_key} decide duplicates. The
 * insert names that index as its {@code ON CONFLICT} target, so a key held by an active job (even
 * one inserted earlier in the same transaction, or earlier in the same statement) inserts nothing,
 * and the existing job is read back instead. No check happens in application code: the index is
 * the rule.
 *
 * <p>Rows go in multi-row statements of up to {@link #MAX_ROWS} rows, in power-of-two sizes so a
 * few statement shapes serve every batch from the writer's statement cache: a statement per row
 * cost about half as much again per job.
 */
public final class JobInserts {
  /** The predicate of the partial unique index {@code jobs_active_unique_key}. */
  public static final String ACTIVE_KEY = "unique_key IS NOT NULL AND state IN ('scheduled', 'ready', 'running')";

  /** The most rows one insert statement carries. */
  static final int MAX_ROWS = 64;

  private static final String ROW = "(?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int BINDS_PER_ROW = 14;

  private static final String ACTIVE_BY_KEY =
      "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE unique_key = ? AND " + ACTIVE_KEY;

  private JobInserts() {}

  /**
   * Inserts the jobs in order within the caller's transaction.
   *
   * @param turns each job's turn in its lane ({@link Turns#assign})
   * @param readyLanes told the lane of each job inserted as {@code ready}
   * @return per input, the inserted job or the active duplicate (flagged)
   */
  public static List<Job> insert(Connection c, List<NewJob> jobs, long[] turns, Consumer<String> readyLanes)
      throws SQLException {
    Set<String> inserted = new HashSet<>();
    for (int from = 0; from < jobs.size(); ) {
      int rows = Math.min(MAX_ROWS, Integer.highestOneBit(jobs.size() - from));
      insertRows(c, jobs.subList(from, from + rows), turns, from, inserted);
      from += rows;
    }
    writeKeys(c, jobs, inserted);
    List<Job> out = new ArrayList<>(jobs.size());
    try (PreparedStatement existing = c.prepareStatement(ACTIVE_BY_KEY)) {
      for (NewJob job : jobs) {
        if (inserted.contains(job.id())) {
          if (job.state() == JobState.READY) {
            readyLanes.accept(job.lane());
          }
          out.add(JobRows.inserted(job));
        } else {
          out.add(activeDuplicate(existing, job));
        }
      }
    }
    return out;
  }

  private static final String KEYS = "UPDATE jobs SET limit_keys = ?, concurrency_key = ?, cost = ? WHERE id = ?";

  /**
   * Writes the limit keys, concurrency key and cost of the keyed jobs among those inserted, in the
   * caller's transaction: no claim sees such a job before its keys. Unkeyed jobs (most) cost
   * nothing more; keyed ones one batched update.
   */
  public static void writeKeys(Connection c, List<NewJob> jobs, Set<String> inserted) throws SQLException {
    List<NewJob> keyed = jobs.stream().filter(j -> j.keyed() && inserted.contains(j.id())).toList();
    if (keyed.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(KEYS)) {
      for (NewJob j : keyed) {
        ps.setString(1, j.limitKeys().isEmpty() ? null : JobRows.tagsToJson(j.limitKeys()));
        ps.setString(2, j.concurrencyKey());
        ps.setLong(3, j.cost());
        ps.setString(4, j.id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The insert of {@code rows} jobs; returns the ids of the rows it inserted. */
  static String insertSql(int rows) {
    return "INSERT INTO jobs (id, type, lane, state, attempt, max_attempts, payload, run_at,"
        + " timeout_ms, unique_key, correlation_id, parent_id, tags, created_at, turn) VALUES "
        + String.join(", ", Collections.nCopies(rows, ROW))
        + " ON CONFLICT (unique_key) WHERE " + ACTIVE_KEY + " DO NOTHING"
        + " RETURNING id";
  }

  private static void insertRows(Connection c, List<NewJob> jobs, long[] turns, int from, Set<String> inserted)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insertSql(jobs.size()))) {
      int i = 1;
      for (int k = 0; k < jobs.size(); k++) {
        bind(ps, i, jobs.get(k));
        ps.setLong(i + 13, turns[from + k]);
        i += BINDS_PER_ROW;
      }
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
  }

  private static void bind(PreparedStatement ps, int i, NewJob job) throws SQLException {
    ps.setString(i, job.id());
    ps.setString(i + 1, job.type());
    ps.setString(i + 2, job.lane());
    ps.setString(i + 3, job.state().wireName());
    ps.setInt(i + 4, job.maxAttempts());
    ps.setString(i + 5, job.payloadJson());
    Jdbc.setInstant(ps, i + 6, job.runAt());
    ps.setLong(i + 7, job.timeout().toMillis());
    Jdbc.setString(ps, i + 8, job.uniqueKey());
    Jdbc.setString(ps, i + 9, job.correlationId());
    Jdbc.setString(ps, i + 10, job.parentId());
    ps.setString(i + 11, JobRows.tagsToJson(job.tags()));
    Jdbc.setInstant(ps, i + 12, job.createdAt());
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
