package dev.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A queued {@link Write} and, once its batch is over, its outcome. The writer thread sets the
 * outcome and then {@link #release}s the caller; the future's completion publishes the fields.
 */
final class Pending<T> {
  private final Write<T> write;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final List<String> readyLanes = new ArrayList<>(2);
  private T result;
  private RuntimeException failure;

  Pending(Write<T> write) {
    this.write = write;
  }

  /** Runs the write on the writer thread, keeping its result until the commit. */
  void run(Connection connection) throws SQLException {
    result = write.apply(connection, readyLanes::add);
  }

  /** Marks the write failed, unless it already failed for a reason of its own. */
  void fail(RuntimeException e) {
    if (failure == null) {
      failure = e;
    }
  }

  boolean failed() {
    return failure != null;
  }

  /** The lanes given ready work, if the write succeeded. */
  List<String> readyLanes() {
    return failure == null ? readyLanes : List.of();
  }

  /** Lets the caller see the outcome. */
  void release() {
    done.complete(null);
  }

  /** Waits, uninterruptibly, for the outcome; rethrows the write's own exception. */
  T await() {
    done.join();
    if (failure != null) {
      throw failure;
    }
    return result;
  }
}
