package dev.vigil.store.internal;

import dev.vigil.job.Attempt;
import dev.vigil.job.Job;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The portable read queries on jobs: one job, listings, counts. Methods that issue more than one
 * statement expect the caller to run them in one read transaction, so that they see one snapshot.
 */
public final class JobQueries {
  private static final String BY_ID = "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ?";

  private static final String ATTEMPTS =
      "SELECT " + JobRows.ATTEMPT_COLUMNS + " FROM job_attempts WHERE job_id = ? ORDER BY attempt";

  private JobQueries() {}

  /** The job with its attempts, oldest first, each with its spans. */
  public static Optional<Job> get(Connection c, String id) throws SQLException {
    Job job;
    try (PreparedStatement ps = c.prepareStatement(BY_ID)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        job = JobRows.job(rs);
      }
    }
    List<Attempt> attempts = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          attempts.add(JobRows.attempt(rs));
        }
      }
    }
    if (!attempts.isEmpty()) {
      Map<Integer, List<JobSpan>> spans = SpanStatements.byAttempt(c, id);
      if (!spans.isEmpty()) {
        attempts.replaceAll(a -> a.withSpans(spans.getOrDefault(a.attempt(), List.of())));
      }
    }
    return Optional.of(job.toBuilder().attempts(attempts).build());
  }

  /** A page of jobs matching the query, newest first by id. */
  public static JobPage find(Connection c, JobQuery q) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE 1 = 1");
    if (!q.states().isEmpty()) {
      sql.append(" AND state IN (").append(Jdbc.markers(q.states())).append(')');
      q.states().stream().map(JobState::wireName).sorted().forEach(args::add);
    }
    where(sql, args, " AND lane = ?", q.lane());
    where(sql, args, " AND type = ?", q.type());
    where(sql, args, " AND correlation_id = ?", q.correlationId());
    where(sql, args, " AND created_at >= ?", Jdbc.millis(q.since()));
    where(sql, args, " AND created_at < ?", Jdbc.millis(q.until()));
    where(sql, args, " AND id < ?", q.cursor() == null ? null : FindCursor.lastId(q.cursor()));
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(q.limit() + 1);
    List<Job> jobs = new ArrayList<>(q.limit() + 1);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(JobRows.job(rs));
        }
      }
    }
    if (jobs.size() <= q.limit()) {
      return new JobPage(jobs, null);
    }
    List<Job> page = jobs.subList(0, q.limit());
    return new JobPage(page, FindCursor.after(page.getLast().id()));
  }

  private static void where(StringBuilder sql, List<Object> args, String clause, Object value) {
    if (value != null) {
      sql.append(clause);
      args.add(value);
    }
  }
}
