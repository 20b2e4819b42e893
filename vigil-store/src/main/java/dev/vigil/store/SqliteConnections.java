package dev.vigil.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the database file: creates its directory, migrates the schema with Flyway, and makes
 * the writer connection and the read-only pool, each with the pragmas it needs.
 */
final class SqliteConnections {
  /** How long a connection waits for a lock held by another connection or process. */
  static final int BUSY_TIMEOUT_MS = 5_000;

  /** The size the write-ahead log is truncated back to after a checkpoint. */
  private static final int WAL_SIZE_LIMIT = 64 * 1024 * 1024;

  private static final String MIGRATIONS = "classpath:db/migration/sqlite";

  private SqliteConnections() {}

  /** Creates missing parent directories and brings the schema up to date. */
  static void prepare(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of the database file", e);
    }
    try {
      Flyway.configure()
          .dataSource(dataSource(file, writerConfig(true)))
          .locations(MIGRATIONS)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the database schema", e);
    }
  }

  /**
   * The one connection that writes: WAL journal, foreign keys on, autocommit (transactions are
   * begun explicitly by the group committer).
   */
  static Connection writer(Path file, boolean synchronousFull) {
    try {
      return dataSource(file, writerConfig(synchronousFull)).getConnection();
    } catch (SQLException e) {
      throw new StoreException("cannot open the database file for writing", e);
    }
  }

  /** A pool of read-only connections; in WAL mode they never wait for the writer. */
  static HikariDataSource readers(Path file, int size) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("vigil-sqlite-read");
    pool.setDataSource(dataSource(file, config));
    pool.setReadOnly(true);
    pool.setMaximumPoolSize(size);
    pool.setMinimumIdle(size);
    pool.setMaxLifetime(0);
    pool.setIdleTimeout(0);
    pool.setConnectionTimeout(10_000);
    try {
      return new HikariDataSource(pool);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open read connections to the database file", e);
    }
  }

  private static SQLiteConfig writerConfig(boolean synchronousFull) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        synchronousFull ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setJournalSizeLimit(WAL_SIZE_LIMIT);
    return config;
  }

  private static SQLiteDataSource dataSource(Path file, SQLiteConfig config) {
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }
}
