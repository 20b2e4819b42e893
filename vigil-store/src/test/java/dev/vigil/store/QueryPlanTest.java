package dev.vigil.store;

import static dev.vigil.store.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot queries are served by their partial indexes on a realistic table: 200,000 jobs, 94 %
 * of them finished, so that a table scan or a full-index scan would show. Checked with fresh
 * statistics-free planning and again after {@code ANALYZE} (which {@code PRAGMA optimize} runs
 * when the store closes).
 */
class QueryPlanTest {
  private static final int ROWS = 200_000;

  @TempDir static Path dir;
  static SqliteJobStore store;
  static Connection sql;

  @BeforeAll
  static void fill() throws SQLException {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vigil.db"));
    try (Statement s = sql.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
      s.execute("BEGIN");
      s.execute(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
              + " INSERT INTO jobs (id, type, lane, state, attempt, max_attempts, payload, run_at,"
              + " timeout_ms, tags, created_at, finished_at, lease_expires_at, lease_token)"
              + " SELECT printf('01960000-0000-7000-8000-%012d', i),"
              + " CASE i % 3 WHEN 0 THEN 'reply' ELSE 'summarise' END,"
              + " CASE (i / 50) % 4 WHEN 0 THEN 'cognition' WHEN 1 THEN 'social' WHEN 2 THEN 'sensory'"
              + "   ELSE 'background' END,"
              + " CASE i % 50 WHEN 0 THEN 'ready' WHEN 1 THEN 'scheduled' WHEN 2 THEN 'running'"
              + "   ELSE 'succeeded' END,"
              + " 1, 3, '{\"n\":' || i || '}', " + T0.toEpochMilli() + " + i, 15000, '[]',"
              + " " + T0.toEpochMilli() + " + i, " + T0.toEpochMilli() + " + i + 1000,"
              + " CASE i % 50 WHEN 2 THEN " + T0.toEpochMilli() + " + i + 30000 END,"
              + " CASE i % 50 WHEN 2 THEN printf('%032d', i) END"
              + " FROM n");
      s.execute("COMMIT");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    sql.close();
    store.close();
  }

  @Test
  void the_hot_queries_read_only_their_partial_indexes_before_and_after_analyze()
      throws SQLException {
    assertHotQueryPlans();
    try (Statement s = sql.createStatement()) {
      s.execute("ANALYZE");
    }
    assertHotQueryPlans();
  }

  @Test
  void the_claim_on_the_large_table_takes_a_lanes_oldest_ready_jobs() {
    List<Job> claimed = store.claim(TestJobs.claim("social", 5, 100_000, Set.of()));

    assertThat(claimed).hasSize(5).allSatisfy(j -> {
      assertThat(j.lane()).isEqualTo("social");
      assertThat(j.state()).isEqualTo(JobState.RUNNING);
    });
    assertThat(claimed).extracting(Job::runAt).isSorted();
  }

  private void assertHotQueryPlans() throws SQLException {
    long t = T0.toEpochMilli();
    assertServedBy("jobs_ready_claim", COVERING, SqliteClaims.nextReadySql(0), "social", 10);
    assertServedBy("jobs_ready_claim", LOOKUPS, SqliteClaims.nextReadySql(2), "social", "a", "b", 9);
    assertServedBy("jobs_running_lease", COVERING, SqliteClaims.RUNNING_IN_LANE, "social");
    assertServedBy("jobs_running_lease", LOOKUPS, SqliteActiveJobs.EXPIRED, t + 50_000, 10);
    assertServedBy("jobs_scheduled_due", COVERING, SqliteActiveJobs.PROMOTE, t + 50_000, 10);
    assertServedBy("jobs_scheduled_due", COVERING, SqliteActiveJobs.NEXT_RUN_AT);
    assertServedBy("jobs_scheduled_due", COVERING, SqliteActiveJobs.SCHEDULED_BY_LANE);
    assertServedBy("jobs_ready_claim", COVERING, SqliteActiveJobs.READY_BY_LANE);
    assertServedBy("jobs_held", COVERING, SqliteActiveJobs.HELD_BY_LANE);
    assertServedBy("jobs_running_lease", COVERING, SqliteActiveJobs.RUNNING_BY_LANE);
  }

  private static final boolean COVERING = true;
  private static final boolean LOOKUPS = false;

  /**
   * Every read of {@code jobs} in the plan uses {@code index} (covering it when {@code covering}:
   * no table lookups), or an exact id to reach the rows the index chose; no scan of the table and
   * no sort for an ORDER BY.
   */
  private void assertServedBy(String index, boolean covering, String statement, Object... params)
      throws SQLException {
    String using = (covering ? "USING COVERING INDEX " : "USING INDEX ") + index;
    List<String> plan = plan(statement, params);
    assertThat(plan).as("plan of %s", statement)
        .anyMatch(line -> line.matches(".*" + using + "( .*)?"))
        .noneMatch(line -> line.matches("SCAN jobs( .*)?") && !line.contains(index))
        .noneMatch(line -> line.contains("TEMP B-TREE FOR ORDER BY"))
        .allMatch(line -> !line.startsWith("SEARCH jobs") || line.contains(index)
            || line.contains("id=?)"));
  }

  /** The plan's detail lines for the statement with these parameters. */
  private List<String> plan(String statement, Object... params) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (var ps = sql.prepareStatement("EXPLAIN QUERY PLAN " + statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString("detail"));
        }
      }
    }
    return lines;
  }
}
