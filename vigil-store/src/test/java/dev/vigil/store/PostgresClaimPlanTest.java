package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Claiming costs the same with ten thousand rows or a million, most of them finished: the claim
 * reads the partial ready index, never the table. Two databases are filled by server-side SQL
 * ({@code generate_series}) with the same mix (10 % ready over four lanes, a few scheduled,
 * running and dead, the rest succeeded); the plan of the claim on the large one must be an index
 * scan of {@code jobs_ready_claim} with no sequential scan anywhere, and the pages one claim reads
 * (shared buffers, which do not depend on the machine's speed) must stay within twice the small
 * table's. Claim latencies of both are printed for the record, not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClaimPlanTest {
  private static final int SMALL = 10_000;
  private static final int LARGE = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PostgresTestServer server = PostgresTestServer.shared();
  private final List<String> databases = new ArrayList<>();
  private String small;
  private String large;

  @BeforeAll
  void fillTwoDatabases() throws SQLException {
    small = filled(SMALL);
    large = filled(LARGE);
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(server::dropDatabase);
  }

  private String filled(int rows) throws SQLException {
    String database = server.createDatabase();
    databases.add(database);
    server.store(database).poolSize(1).build().close(); // migrates the schema
    try (Connection c = server.connect(database);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO jobs (id, type, lane, state, attempt, max_attempts, payload, run_at,"
              + " timeout_ms, created_at, started_at, finished_at, lease_owner, lease_token,"
              + " lease_expires_at)"
              + " SELECT lpad(to_hex(i), 12, '0'), 'type-' || (i % 7),"
              + " (ARRAY['cognition', 'social', 'sensory', 'background'])[(i / 10) % 4 + 1], st, 1, 3,"
              + " '{\"n\":1}', 1700000000000 + i, 15000, 1700000000000 + i,"
              + " CASE WHEN st IN ('running', 'succeeded', 'dead') THEN 1700000000000 + i END,"
              + " CASE WHEN st IN ('succeeded', 'dead') THEN 1700000001000 + i END,"
              + " CASE WHEN st = 'running' THEN 'worker' END,"
              + " CASE WHEN st = 'running' THEN md5(i::text) END,"
              + " CASE WHEN st = 'running' THEN 1700000030000 + i END"
              + " FROM (SELECT i, CASE WHEN i % 10 = 0 THEN 'ready' WHEN i % 50 = 1 THEN 'scheduled'"
              + " WHEN i % 100 = 3 THEN 'running' WHEN i % 100 = 7 THEN 'dead' ELSE 'succeeded' END"
              + " AS st FROM generate_series(1, " + rows + ") AS i) AS g");
      s.execute("VACUUM ANALYZE jobs");
    }
    return database;
  }

  @Test
  void the_claim_of_a_lane_reads_the_ready_index_and_no_table_scan() throws SQLException {
    try (Connection c = server.connect(large)) {
      List<String> select = explain(c, "EXPLAIN " + PostgresClaims.nextReadySql(false), false);
      List<String> typed = explain(c, "EXPLAIN " + PostgresClaims.nextReadySql(true), true);
      List<String> update =
          explainLease(c, "EXPLAIN " + PostgresClaims.leaseSql(false, false), false);
      List<String> capped =
          explainLease(c, "EXPLAIN " + PostgresClaims.leaseSql(false, true), true);

      for (List<String> plan : List.of(select, typed, update, capped)) {
        assertThat(String.join("\n", plan))
            .as("plan:\n%s", String.join("\n", plan))
            .contains("Index Scan using jobs_ready_claim")
            .doesNotContain("Seq Scan");
      }
      assertThat(String.join("\n", capped))
          .as("the lane cap counts from the running index")
          .contains("jobs_running_lane");
      System.out.println("claim plan with " + LARGE + " rows:\n" + String.join("\n", update));
    }
  }

  @Test
  void the_lanes_woken_after_a_reconnection_are_found_by_index_probes() throws SQLException {
    try (Connection c = server.connect(large);
        Statement s = c.createStatement()) {
      List<String> plan = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("EXPLAIN " + PostgresJobStore.READY_LANES)) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
      assertThat(String.join("\n", plan))
          .as("plan:\n%s", String.join("\n", plan))
          .contains("jobs_ready_claim")
          .doesNotContain("Seq Scan");
      List<String> lanes = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(PostgresJobStore.READY_LANES)) {
        while (rs.next()) {
          lanes.add(rs.getString(1));
        }
      }
      assertThat(lanes).containsExactly("background", "cognition", "sensory", "social");
    }
  }

  @Test
  void a_claim_reads_about_as_many_pages_from_a_million_rows_as_from_ten_thousand()
      throws Exception {
    long smallPages = claimPages(small);
    long largePages = claimPages(large);
    double smallMillis = medianClaimMillis(small);
    double largeMillis = medianClaimMillis(large);
    System.out.printf(
        "claim of 10 jobs: %d rows %d pages %.2f ms; %d rows %d pages %.2f ms%n",
        SMALL, smallPages, smallMillis, LARGE, largePages, largeMillis);

    assertThat(largePages).isLessThanOrEqualTo(2 * smallPages);
  }

  /** Shared buffers (hit or read) one claim's row selection touches, from EXPLAIN ANALYZE. */
  private long claimPages(String database) throws Exception {
    try (Connection c = server.connect(database)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + PostgresClaims.nextReadySql(false))) {
        ps.setString(1, "social");
        ps.setInt(2, 10);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          JsonNode plan = JSON.readTree(rs.getString(1)).get(0).get("Plan");
          return plan.get("Shared Hit Blocks").asLong() + plan.get("Shared Read Blocks").asLong();
        }
      } finally {
        c.rollback();
      }
    }
  }

  /** The median time of claiming 10 jobs and giving them back (rolled back), for the record. */
  private double medianClaimMillis(String database) throws SQLException {
    List<Double> millis = new ArrayList<>();
    try (Connection c = server.connect(database);
        PreparedStatement ps = c.prepareStatement(PostgresClaims.leaseSql(false, false))) {
      c.setAutoCommit(false);
      for (int i = 0; i < 31; i++) {
        bindLease(ps, false);
        long start = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            // read every claimed row, as a claim does
          }
        }
        millis.add((System.nanoTime() - start) / 1e6);
        c.rollback();
      }
    }
    millis.sort(null);
    return millis.get(millis.size() / 2);
  }

  private static List<String> explain(Connection c, String sql, boolean typed)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, "social");
      if (typed) {
        ps.setArray(i++, c.createArrayOf("text", new String[] {"type-1", "type-3"}));
      }
      ps.setInt(i, 10);
      return lines(ps);
    }
  }

  private static List<String> explainLease(Connection c, String sql, boolean capped)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindLease(ps, capped);
      return lines(ps);
    }
  }

  private static void bindLease(PreparedStatement ps, boolean capped) throws SQLException {
    int i = 1;
    ps.setLong(i++, 1_800_000_000_000L);
    ps.setString(i++, "worker-1");
    ps.setLong(i++, 1_800_000_030_000L);
    ps.setString(i++, "social");
    ps.setString(i++, "social");
    ps.setInt(i++, 10);
    if (capped) {
      ps.setInt(i++, 50);
      ps.setString(i, "social");
    }
  }

  private static List<String> lines(PreparedStatement ps) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        plan.add(rs.getString(1));
      }
    }
    return plan;
  }
}
