package dev.vigil.store;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.JobState;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.TokenCounts;
import dev.vigil.store.internal.Jdbc;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model calls of attempts ({@code llm_usage}), the same statements in both dialects: written in
 * the finish's transaction for the finishes that held their lease, one JDBC batch for a whole batch
 * of finishes (no statement at all when no attempt made a call or failed), or on their own when
 * reported apart from a finish; read back per job in the order they were stored.
 */
final class UsageStatements {
  private static final String INSERT =
      "INSERT INTO llm_usage (job_id, attempt, seq, type, lane, at, provider, model, operation,"
          + " input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, duration_ms, outcome,"
          + " cost_usd, energy_wh, co2e_g, correlation_id, attempt_failed)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Calls stored before their attempt ended (with a heartbeat) learn that it failed. */
  private static final String MARK_FAILED =
      "UPDATE llm_usage SET attempt_failed = 1 WHERE job_id = ? AND attempt_failed = 0"
          + " AND attempt = (SELECT attempt FROM jobs WHERE id = ?)";

  private static final String BY_JOB =
      "SELECT job_id, attempt, type, lane, at, provider, model, operation, input_tokens,"
          + " cached_input_tokens, output_tokens, reasoning_tokens, duration_ms, outcome, cost_usd,"
          + " energy_wh, co2e_g FROM llm_usage WHERE job_id = ? ORDER BY attempt, id";

  private UsageStatements() {}

  /** Stores the calls of one finish that held its lease, in the caller's transaction. */
  static void insert(Connection c, Finish f) throws SQLException {
    insert(c, List.of(f), null);
  }

  /**
   * Stores the calls of the finishes that held their lease ({@code applied}, by job id; null: all
   * of them), in the caller's transaction.
   */
  static void insert(Connection c, List<Finish> finishes, Map<String, JobState> applied) throws SQLException {
    PreparedStatement ps = null;
    PreparedStatement mark = null;
    try {
      for (Finish f : finishes) {
        if (applied != null && !applied.containsKey(f.jobId())) {
          continue;
        }
        boolean failed = f.outcome() != AttemptOutcome.SUCCEEDED;
        if (failed) {
          mark = mark == null ? c.prepareStatement(MARK_FAILED) : mark;
          mark.setString(1, f.jobId());
          mark.setString(2, f.jobId());
          mark.addBatch();
        }
        for (int seq = 0; seq < f.usage().size(); seq++) {
          ps = ps == null ? c.prepareStatement(INSERT) : ps;
          bind(ps, f.usage().get(seq), seq, null, failed);
          ps.addBatch();
        }
      }
      if (mark != null) {
        mark.executeBatch();
      }
      if (ps != null) {
        ps.executeBatch();
      }
    } finally {
      if (ps != null) {
        ps.close();
      }
      if (mark != null) {
        mark.close();
      }
    }
  }

  /** Stores calls reported apart from a finish, in the caller's transaction. */
  static void insert(Connection c, List<LlmUsage> calls, String correlationId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (int seq = 0; seq < calls.size(); seq++) {
        bind(ps, calls.get(seq), seq, correlationId, false);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A job's calls, oldest attempt first, each attempt's in the order they ended. */
  static List<LlmUsage> byJob(Connection c, String jobId) throws SQLException {
    var out = new ArrayList<LlmUsage>();
    try (PreparedStatement ps = c.prepareStatement(BY_JOB)) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String cost = rs.getString(15);
          out.add(
              new LlmUsage(
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getString(3),
                  rs.getString(4),
                  Jdbc.instant(rs, 5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  new TokenCounts(rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12)),
                  rs.getLong(13),
                  rs.getString(14),
                  cost == null ? null : new BigDecimal(cost),
                  rs.getDouble(16),
                  rs.getDouble(17)));
        }
      }
    }
    return out;
  }

  private static void bind(PreparedStatement ps, LlmUsage u, int seq, String correlationId, boolean attemptFailed)
      throws SQLException {
    int i = 1;
    Jdbc.setString(ps, i++, u.jobId());
    ps.setInt(i++, u.attempt());
    ps.setInt(i++, seq);
    Jdbc.setString(ps, i++, u.type());
    Jdbc.setString(ps, i++, u.lane());
    Jdbc.setInstant(ps, i++, u.at());
    ps.setString(i++, u.provider());
    ps.setString(i++, u.model());
    ps.setString(i++, u.operation());
    ps.setLong(i++, u.tokens().input());
    ps.setLong(i++, u.tokens().cachedInput());
    ps.setLong(i++, u.tokens().output());
    ps.setLong(i++, u.tokens().reasoning());
    ps.setLong(i++, u.durationMs());
    ps.setString(i++, u.outcome());
    if (u.costUsd() == null) {
      ps.setNull(i++, Types.VARCHAR);
    } else {
      ps.setString(i++, u.costUsd().toPlainString());
    }
    ps.setDouble(i++, finite(u.energyWh()));
    ps.setDouble(i++, finite(u.co2eGrams()));
    Jdbc.setString(ps, i++, correlationId);
    ps.setInt(i, attemptFailed ? 1 : 0);
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }
}
