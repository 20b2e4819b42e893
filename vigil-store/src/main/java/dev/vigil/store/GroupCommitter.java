package dev.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the single writer connection and the thread that uses it; every change to the database
 * goes through {@link #execute}.
 *
 * <p><b>Design note.</b> SQLite allows one writer at a time per file, and a commit in {@code
 * synchronous=FULL} costs an fsync, which dwarfs the statements themselves. So instead of a pool
 * of writers contending for the file lock, one thread owns one connection and callers hand it
 * work through a bounded queue, each blocking on its own {@link Pending} until its commit is
 * durable. The thread takes whatever is queued (up to {@code maxBatch}), runs it all in one
 * {@code BEGIN IMMEDIATE} transaction, wraps each operation in its own {@code SAVEPOINT} so a
 * failing one (a lost lease, a missing job, a constraint) rolls back only itself, commits once,
 * tells ready listeners, then releases every caller of the batch. N concurrent calls thus cost
 * about one fsync, not N. (A batch of one needs no savepoint: if it fails, the transaction is
 * simply rolled back.)
 *
 * <p>Batches form by themselves while a commit is in flight; the writer only lingers for more
 * (at most {@code window}) when the previous batch showed there are concurrent callers, and stops
 * lingering as soon as it holds as many operations as last time. A caller alone (after a batch
 * that was alone too) never waits for the window.
 *
 * <p><b>Hazards.</b> (1) A caller's result is held until the whole batch commits: an operation
 * that succeeded in its savepoint still fails if the commit fails, and every caller of that batch
 * gets a {@link StoreException}. (2) One slow operation (a huge enqueue) delays its neighbours;
 * {@code maxBatch} bounds how many. (3) Operations run on the writer thread, so they must never
 * call back into the store (they would wait for themselves); ready listeners run there too and
 * must be quick. (4) SQLite may roll back the whole transaction on I/O or memory errors; the
 * savepoint release then fails, and the batch fails as a whole rather than committing half of it.
 * (5) Callers wait uninterruptibly once queued: an interrupt cannot make a committed change look
 * failed; the interrupt flag is restored when the call returns.
 */
final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  private static final int STATEMENT_CACHE = 256;
  private static final Pending<Void> CLOSE = new Pending<>((c, lanes) -> null);

  private final Connection connection;
  private final TransactionControl control;
  private final Duration window;
  private final int maxBatch;
  private final ReadyListeners listeners;
  private final BlockingQueue<Pending<?>> queue;
  private final ReadWriteLock gate = new ReentrantReadWriteLock();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong operations = new AtomicLong();
  private final IntConsumer batchSizes;
  private final Thread thread;
  private boolean closed; // guarded by gate

  /**
   * Takes ownership of {@code connection} (autocommit, as opened) and starts the writer thread.
   *
   * @throws SQLException if the transaction statements cannot be prepared
   */
  GroupCommitter(Connection connection, Duration window, int maxBatch, ReadyListeners listeners)
      throws SQLException {
    this(connection, window, maxBatch, listeners, size -> {});
  }

  /** As above; {@code batchSizes} is told the number of operations of every batch it runs. */
  GroupCommitter(
      Connection connection, Duration window, int maxBatch, ReadyListeners listeners, IntConsumer batchSizes)
      throws SQLException {
    this.batchSizes = batchSizes;
    this.connection = CachingConnection.wrap(connection, STATEMENT_CACHE);
    this.control = new TransactionControl(connection);
    this.window = window;
    this.maxBatch = maxBatch;
    this.listeners = listeners;
    this.queue = new ArrayBlockingQueue<>(Math.max(64, 2 * maxBatch));
    this.thread = Thread.ofPlatform().name("vigil-sqlite-writer").daemon(true).unstarted(this::run);
    thread.start();
  }

  /**
   * Runs {@code write} in the next group commit and returns its result once committed.
   *
   * @throws StoreException if the store is closed or the database failed (nothing committed)
   * @throws RuntimeException whatever {@code write} threw, unchanged (nothing committed)
   */
  <T> T execute(Write<T> write) {
    Pending<T> pending = new Pending<>(write);
    gate.readLock().lock();
    try {
      if (closed) {
        throw new StoreException("the store is closed");
      }
      queue.put(pending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted before the write was queued; nothing was written", e);
    } finally {
      gate.readLock().unlock();
    }
    return pending.await();
  }

  /** Commits so far; each covers one or more operations. */
  long commitCount() {
    return commits.get();
  }

  /** Operations attempted so far, committed or failed. */
  long operationCount() {
    return operations.get();
  }

  /** Operations queued and not yet taken by the writer. */
  int queued() {
    return queue.size();
  }

  /** Stops taking writes, commits everything already queued, and closes the connection. */
  @Override
  public void close() {
    gate.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      gate.writeLock().unlock();
    }
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(CLOSE);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Pending<?>> batch = new ArrayList<>(maxBatch);
    int previous = 0;
    try {
      boolean closing = false;
      while (!closing) {
        batch.add(takeUninterruptibly());
        closing = gather(batch, previous);
        try {
          if (!batch.isEmpty()) {
            commit(batch);
          }
        } catch (RuntimeException | Error e) {
          LOG.error("the writer failed outside a transaction; failing its batch", e);
          batch.forEach(p -> p.fail(new StoreException("the writer failed", e)));
          batch.forEach(Pending::release);
        }
        previous = batch.size();
        batch.clear();
      }
    } finally {
      closeConnection();
    }
  }

  /** Adds queued operations to the batch; true when the close marker was reached. */
  private boolean gather(List<Pending<?>> batch, int previous) {
    queue.drainTo(batch, maxBatch - batch.size());
    boolean lingering = !window.isZero() && (previous > 1 || batch.size() > 1);
    int target = Math.min(maxBatch, Math.max(previous, 2));
    long deadline = System.nanoTime() + window.toNanos();
    while (lingering && batch.size() < target && !batch.contains(CLOSE)) {
      long left = deadline - System.nanoTime();
      Pending<?> next = left > 0 ? pollUninterruptibly(left) : null;
      if (next == null) {
        break;
      }
      batch.add(next);
      queue.drainTo(batch, maxBatch - batch.size());
    }
    return batch.remove(CLOSE);
  }

  private void commit(List<Pending<?>> batch) {
    operations.addAndGet(batch.size());
    batchSizes.accept(batch.size());
    boolean committed;
    try {
      control.begin();
      try {
        committed = batch.size() == 1 ? runAlone(batch.getFirst()) : runInSavepoints(batch);
      } catch (SQLException | RuntimeException | Error e) {
        control.rollbackQuietly();
        throw e;
      }
    } catch (SQLException | RuntimeException | Error e) {
      LOG.warn("write transaction of {} operations failed; none was committed", batch.size(), e);
      batch.forEach(
          p -> p.fail(new StoreException("the write transaction failed; nothing in it was committed", e)));
      batch.forEach(Pending::release);
      return;
    }
    if (committed) {
      commits.incrementAndGet();
      Set<String> readyLanes = new LinkedHashSet<>();
      batch.forEach(p -> readyLanes.addAll(p.readyLanes()));
      listeners.tell(readyLanes);
    }
    batch.forEach(Pending::release);
  }

  /**
   * Runs a batch of one without a savepoint: if the operation fails, the whole transaction is
   * rolled back instead, which is the same thing for one operation and two statements cheaper.
   *
   * @return whether the transaction was committed
   */
  private boolean runAlone(Pending<?> pending) throws SQLException {
    try {
      pending.run(connection);
    } catch (SQLException e) {
      pending.fail(new StoreException("a write failed: " + e.getMessage(), e));
    } catch (RuntimeException e) {
      pending.fail(e);
    }
    if (pending.failed()) {
      control.rollbackQuietly();
      return false;
    }
    control.commit();
    return true;
  }

  /** Runs each operation in its own savepoint and commits what succeeded; returns true. */
  private boolean runInSavepoints(List<Pending<?>> batch) throws SQLException {
    for (Pending<?> pending : batch) {
      runInSavepoint(pending);
    }
    control.commit();
    return true;
  }

  private void runInSavepoint(Pending<?> pending) throws SQLException {
    control.savepoint();
    try {
      pending.run(connection);
    } catch (SQLException e) {
      pending.fail(new StoreException("a write failed: " + e.getMessage(), e));
      control.rollbackToSavepoint();
    } catch (RuntimeException e) {
      pending.fail(e);
      control.rollbackToSavepoint();
    }
    control.release();
  }

  private void closeConnection() {
    try (connection;
        control;
        Statement s = connection.createStatement()) {
      s.execute("PRAGMA optimize");
    } catch (SQLException e) {
      LOG.warn("closing the SQLite writer connection failed", e);
    }
  }

  private Pending<?> takeUninterruptibly() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // only close() stops the writer, through the CLOSE marker
      }
    }
  }

  private Pending<?> pollUninterruptibly(long nanos) {
    try {
      return queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return null;
    }
  }
}
