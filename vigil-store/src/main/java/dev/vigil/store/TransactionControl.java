package dev.vigil.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The transaction statements of the writer connection, prepared once: the group committer runs
 * them for every batch and every operation, so parsing them each time would cost more than some
 * of the operations themselves. Used only by the writer thread.
 */
final class TransactionControl implements AutoCloseable {
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement savepoint;
  private final PreparedStatement release;
  private final PreparedStatement rollbackToSavepoint;

  TransactionControl(Connection connection) throws SQLException {
    begin = connection.prepareStatement("BEGIN IMMEDIATE");
    commit = connection.prepareStatement("COMMIT");
    rollback = connection.prepareStatement("ROLLBACK");
    savepoint = connection.prepareStatement("SAVEPOINT op");
    release = connection.prepareStatement("RELEASE op");
    rollbackToSavepoint = connection.prepareStatement("ROLLBACK TO op");
  }

  /** Begins a write transaction, taking the file's write lock now rather than at first write. */
  void begin() throws SQLException {
    begin.execute();
  }

  void commit() throws SQLException {
    commit.execute();
  }

  /** Rolls the transaction back, ignoring the error if SQLite already ended it by itself. */
  void rollbackQuietly() {
    try {
      rollback.execute();
    } catch (SQLException e) {
      // an I/O or memory error already rolled the transaction back
    }
  }

  void savepoint() throws SQLException {
    savepoint.execute();
  }

  void release() throws SQLException {
    release.execute();
  }

  void rollbackToSavepoint() throws SQLException {
    rollbackToSavepoint.execute();
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps :
        new PreparedStatement[] {begin, commit, rollback, savepoint, release, rollbackToSavepoint}) {
      ps.close();
    }
  }
}
