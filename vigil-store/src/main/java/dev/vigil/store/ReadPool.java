package dev.vigil.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.store.internal.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The read-only connections. Reads never queue behind the writer: in WAL mode a reader sees the
 * last commit before its transaction began, however long the writer is busy.
 */
final class ReadPool implements AutoCloseable {
  private final HikariDataSource pool;
  private volatile boolean closed;

  ReadPool(HikariDataSource pool) {
    this.pool = pool;
  }

  /** Runs {@code work} on a pooled connection; several statements share one snapshot. */
  <T> T read(SqlFunction<T> work) {
    if (closed) {
      throw new StoreException("the store is closed");
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("a read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
  }
}
