package dev.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears other nodes' ready work: {@code LISTEN} on one dedicated connection, outside the pool,
 * and a thread that relays each notification's lane to the ready listeners.
 *
 * <p><b>Design note.</b> The connection is opened with the driver directly, never borrowed from
 * the pool: a session that listens must stay one server session for its whole life, which a pool
 * behind PgBouncer in transaction mode cannot promise (a known trap of other Postgres queues). The
 * thread waits in {@link PGConnection#getNotifications(int)} for at most {@link #POLL}; when the
 * connection has been quiet for {@link #CHECK_EVERY} it checks it with a round trip, so that a
 * connection that died silently is noticed too.
 *
 * <p>When the connection fails (PostgreSQL restarted, the backend was terminated, the network
 * dropped) the thread reconnects at once and then with doubling back-off up to {@link
 * #MAX_BACKOFF}, and after each reconnection tells the listeners of every lane it can name,
 * because notifications sent while it was away are lost. Meanwhile, and for any notification
 * lost otherwise, the engine's dispatcher looks at every lane on its own once a second (its safety
 * poll): a missed wake-up delays work by at most about that second, it never loses it.
 */
final class PostgresWakeups implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresWakeups.class);

  /** The longest one wait for notifications; bounds how late a closed store's thread ends. */
  static final Duration POLL = Duration.ofMillis(500);

  /** How long the connection may be quiet before a round trip checks that it still lives. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(10);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** Opens a connection to the database; may fail. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final String channel;
  private final Consumer<Collection<String>> listeners;
  private final Supplier<Collection<String>> everyLane;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong reconnections = new AtomicLong();
  private final Thread thread;
  private volatile Connection connection;

  /**
   * Opens the connection and starts listening before returning, so that no notification sent
   * after construction is missed.
   *
   * @param listeners told the distinct lanes of each batch of notifications
   * @param everyLane every lane worth telling after a reconnection (may throw)
   * @throws SQLException if the first connection or its {@code LISTEN} fails
   */
  PostgresWakeups(
      Connector connector,
      String channel,
      Consumer<Collection<String>> listeners,
      Supplier<Collection<String>> everyLane)
      throws SQLException {
    this.connector = connector;
    this.channel = channel;
    this.listeners = listeners;
    this.everyLane = everyLane;
    this.connection = listen();
    this.thread = Thread.ofPlatform().daemon().name("vigil-pg-listen").start(this::run);
  }

  private Connection listen() throws SQLException {
    Connection c = connector.connect();
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + channel);
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  private void run() {
    long quietSince = System.nanoTime();
    try {
      while (!isClosing()) {
        try {
          Connection c = connection;
          PGNotification[] got =
              c.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
          if (got != null && got.length > 0) {
            deliver(got);
            quietSince = System.nanoTime();
          } else if (System.nanoTime() - quietSince > CHECK_EVERY.toNanos()) {
            if (!c.isValid((int) Math.max(1, CHECK_EVERY.toSeconds()))) {
              throw new SQLException("the LISTEN connection stopped answering");
            }
            quietSince = System.nanoTime();
          }
        } catch (SQLException | RuntimeException e) {
          if (isClosing()) {
            return;
          }
          LOG.warn("lost the LISTEN connection ({}); reconnecting", e.toString());
          closeQuietly(connection);
          reconnect();
          quietSince = System.nanoTime();
        }
      }
    } finally {
      closeQuietly(connection);
    }
  }

  private void deliver(PGNotification[] notifications) {
    Set<String> lanes = new LinkedHashSet<>();
    for (PGNotification n : notifications) {
      if (n.getParameter() != null && !n.getParameter().isEmpty()) {
        lanes.add(n.getParameter());
      }
    }
    if (!lanes.isEmpty()) {
      listeners.accept(lanes);
    }
  }

  /** Reconnects until it succeeds or the store closes; then tells every lane. */
  private void reconnect() {
    Duration backoff = Duration.ZERO;
    int failures = 0;
    while (!isClosing()) {
      try {
        if (!backoff.isZero() && closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Connection c = listen();
        connection = c;
        if (isClosing()) {
          closeQuietly(c);
          return;
        }
        reconnections.incrementAndGet();
        LOG.info("LISTEN connection restored after {} failed attempts", failures);
        tellEveryLane();
        return;
      } catch (SQLException | RuntimeException e) {
        failures++;
        if (failures == 1) {
          LOG.warn("cannot reconnect the LISTEN connection yet ({}); retrying", e.toString());
        } else {
          LOG.debug("LISTEN reconnection attempt {} failed", failures, e);
        }
        backoff =
            backoff.isZero()
                ? FIRST_BACKOFF
                : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                    ? MAX_BACKOFF
                    : backoff.multipliedBy(2);
      }
    }
  }

  private void tellEveryLane() {
    Collection<String> lanes;
    try {
      lanes = everyLane.get();
    } catch (RuntimeException e) {
      LOG.warn("cannot list the lanes after reconnecting ({}); the safety poll covers them", e.toString());
      return;
    }
    if (!lanes.isEmpty()) {
      listeners.accept(lanes);
    }
  }

  private boolean isClosing() {
    return closing.getCount() == 0;
  }

  /** How many times the connection was re-established; for tests. */
  long reconnections() {
    return reconnections.get();
  }

  /** The server process id of the listening session; for tests that terminate it. */
  int backendPid() throws SQLException {
    return connection.unwrap(PGConnection.class).getBackendPID();
  }

  /** Stops the thread and closes the connection. Idempotent. */
  @Override
  public void close() {
    closing.countDown();
    closeQuietly(connection);
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // closing a broken connection; nothing to do
    }
  }
}
