package dev.vigil.bench;

import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;

/**
 * Builds a store file with {@code n} jobs quickly: the store itself creates the schema (its Flyway
 * migration), then raw JDBC inserts the rows in one transaction with {@code synchronous=OFF}, in
 * the shape the engine leaves them: 90 % {@code succeeded} (with their attempt row), every tenth
 * job {@code ready} in the {@code background} lane, ids time-ordered (UUIDv7 layout) and
 * interleaved, as if the ready ones had arrived among the others over the last {@code n} ms.
 */
final class ScaleStoreBuilder {
  static final String LANE = "background";

  private static final String INSERT_JOB =
      "INSERT INTO jobs (id, type, lane, state, attempt, max_attempts, payload, run_at, timeout_ms,"
          + " tags, created_at, started_at, finished_at, result) VALUES (?, 'noop', ?, ?, ?, 3,"
          + " '{\"n\":1}', ?, 15000, '[]', ?, ?, ?, ?)";
  private static final String INSERT_ATTEMPT =
      "INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome, worker_id)"
          + " VALUES (?, 1, ?, ?, 'succeeded', 'bench-worker')";

  private ScaleStoreBuilder() {}

  /** How many of {@code n} jobs are ready. */
  static long readyOf(long n) {
    return n / 10;
  }

  static void build(Path file, long n) throws SQLException {
    SqliteJobStore.open(file).close();
    var random = new SplittableRandom(n);
    long base = System.currentTimeMillis() - n;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA synchronous = OFF");
        s.execute("PRAGMA cache_size = -262144");
      }
      c.setAutoCommit(false);
      try (PreparedStatement job = c.prepareStatement(INSERT_JOB);
          PreparedStatement attempt = c.prepareStatement(INSERT_ATTEMPT)) {
        for (long i = 0; i < n; i++) {
          long created = base + i;
          String id = Uuid7.of(created, i, random.nextLong());
          boolean ready = i % 10 == 9;
          job.setString(1, id);
          job.setString(2, LANE);
          job.setString(3, ready ? "ready" : "succeeded");
          job.setInt(4, ready ? 0 : 1);
          job.setLong(5, created);
          job.setLong(6, created);
          if (ready) {
            job.setNull(7, java.sql.Types.INTEGER);
            job.setNull(8, java.sql.Types.INTEGER);
            job.setNull(9, java.sql.Types.VARCHAR);
          } else {
            job.setLong(7, created + 1);
            job.setLong(8, created + 2);
            job.setString(9, "{\"ok\":true}");
            attempt.setString(1, id);
            attempt.setLong(2, created + 1);
            attempt.setLong(3, created + 2);
            attempt.addBatch();
          }
          job.addBatch();
          if (i % 5_000 == 4_999) {
            job.executeBatch();
            attempt.executeBatch();
          }
        }
        job.executeBatch();
        attempt.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
  }
}
