package dev.vigil.store.internal;

import dev.vigil.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the time-driven queries over active jobs (promotion, expired leases, the next due time)
 * for every dialect. Each dialect writes its own SQL, because each reaches its partial indexes
 * its own way; the binding and reading are the same.
 */
public final class DueJobs {
  private DueJobs() {}

  /**
   * Runs a promotion statement ({@code now}, {@code limit}; returning {@link JobRows#COLUMNS})
   * and reports each promoted job's lane as ready.
   *
   * @return the promoted jobs, oldest {@code run_at} first
   */
  public static List<Job> promote(
      Connection c, String sql, Instant now, int limit, Consumer<String> readyLanes)
      throws SQLException {
    List<Job> promoted = jobs(c, sql, now, limit);
    promoted.forEach(job -> readyLanes.accept(job.lane()));
    promoted.sort(Comparator.comparing(Job::runAt).thenComparing(Job::id));
    return promoted;
  }

  /** Runs a query bound to ({@code now}, {@code limit}) that selects {@link JobRows#COLUMNS}. */
  public static List<Job> jobs(Connection c, String sql, Instant now, int limit)
      throws SQLException {
    List<Job> jobs = new ArrayList<>();
    if (limit <= 0) {
      return jobs;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.setInstant(ps, 1, now);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(JobRows.job(rs));
        }
      }
    }
    return jobs;
  }

  /** Runs a query whose single column is an epoch-millisecond instant, possibly null. */
  public static Optional<Instant> instant(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(Jdbc.instant(rs, 1)) : Optional.empty();
    }
  }
}
