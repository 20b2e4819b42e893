package dev.vigil.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.store.internal.SqlFunction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The pooled connections of a {@link PostgresJobStore} and the three ways work runs on them:
 * {@link #autocommit} (each statement its own transaction), {@link #snapshot} (several reads of
 * one snapshot) and {@link #transaction} (a read-write transaction that wakes other nodes at its
 * commit). Every {@link SQLException}, including a pool that cannot hand out a connection in time,
 * leaves as a {@link StoreException}; the SPI's own exceptions pass through after a rollback.
 *
 * <p>Transactions run at PostgreSQL's default READ COMMITTED: the statements that must see the
 * latest version of a row lock it ({@code FOR UPDATE}) or are single fenced statements, so no
 * serialisable isolation is needed. A transaction that loses a deadlock or a serialisation check
 * was rolled back whole and is simply run again (at most {@link #ATTEMPTS} times).
 */
final class PostgresDatabase implements AutoCloseable {
  /** How often a transaction rolled back by a deadlock or serialisation failure is tried. */
  static final int ATTEMPTS = 3;

  private static final String NOTIFY = "SELECT pg_notify(?, lane) FROM unnest(?::text[]) AS lane";

  private final HikariDataSource pool;
  private final String channel;
  private final Consumer<Collection<String>> afterCommit;
  private volatile boolean closed;

  /**
   * @param channel the NOTIFY channel that other nodes LISTEN on
   * @param afterCommit told, after each commit, the lanes that received ready work in it
   */
  PostgresDatabase(
      HikariDataSource pool, String channel, Consumer<Collection<String>> afterCommit) {
    this.pool = pool;
    this.channel = channel;
    this.afterCommit = afterCommit;
  }

  /** Work done in a transaction, reporting the lanes it made ready work in. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection connection, ReadyLanes lanes) throws SQLException;
  }

  /**
   * The lanes a transaction made ready work in. {@link #accept} asks for a {@code pg_notify}
   * before the commit; {@link #notified} records a lane whose notification the work's own SQL
   * already sent. Both are told to this process's listeners after the commit.
   */
  static final class ReadyLanes implements Consumer<String> {
    private final Set<String> toNotify = new LinkedHashSet<>();
    private final Set<String> all = new LinkedHashSet<>();

    @Override
    public void accept(String lane) {
      toNotify.add(lane);
      all.add(lane);
    }

    void notified(String lane) {
      all.add(lane);
    }
  }

  /** Runs {@code work} on a pooled connection in autocommit mode. */
  <T> T autocommit(SqlFunction<T> work) {
    ensureOpen();
    try (Connection c = pool.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Runs reads in one read-only REPEATABLE READ transaction, so that they see one snapshot. */
  <T> T snapshot(SqlFunction<T> work) {
    ensureOpen();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /**
   * Runs {@code work} in one transaction. Before the commit, sends one {@code pg_notify} per lane
   * the work {@linkplain ReadyLanes#accept reported}, so that other nodes hear of the new ready
   * work exactly when it becomes visible; after the commit, tells this process's listeners.
   * Retried whole after a deadlock or serialisation failure.
   */
  <T> T transaction(Work<T> work) {
    ensureOpen();
    for (int attempt = 1; ; attempt++) {
      ReadyLanes lanes = new ReadyLanes();
      T result;
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          result = work.apply(c, lanes);
          notify(c, lanes.toNotify);
          c.commit();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && isRetryable(e)) {
          continue;
        }
        throw failure(e);
      }
      if (!lanes.all.isEmpty()) {
        afterCommit.accept(lanes.all);
      }
      return result;
    }
  }

  /**
   * Sends the notifications for {@code lanes} on {@code c}: at once in autocommit mode, at the
   * commit inside a transaction. PostgreSQL folds identical notifications of one transaction.
   */
  void notify(Connection c, Collection<String> lanes) throws SQLException {
    if (lanes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
      ps.setString(1, channel);
      ps.setArray(2, c.createArrayOf("text", lanes.toArray()));
      ps.execute();
    }
  }

  /** Tells this process's listeners of lanes made ready by work outside {@link #transaction}. */
  void committed(Collection<String> lanes) {
    if (!lanes.isEmpty()) {
      afterCommit.accept(lanes);
    }
  }

  /** The pool itself, for Flyway and health checks. */
  HikariDataSource pool() {
    return pool;
  }

  /** Whether PostgreSQL rolled the transaction back as a deadlock victim or serialisation loser. */
  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40P01".equals(state) || "40001".equals(state);
  }

  /** Whether {@code e} is a unique violation. */
  static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** A {@link StoreException} for a database failure, with its SQLState when there is one. */
  static StoreException failure(SQLException e) {
    String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
    return new StoreException("PostgreSQL failed: " + e.getMessage() + state, e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("the store is closed");
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Closes the pool; later calls fail with {@link StoreException}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    pool.close();
  }
}
