package dev.vigil.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each connection a deadline for the headers of its next request: from the moment it opens,
 * and again from the end of each answer, it must deliver a whole request head (and, for a request
 * with a body, its first bytes) within the header timeout, or it is closed. Once a request is
 * handled the deadline is off: a handler (a long-polling claim) and the body it reads are bound by
 * the connector's idle timeout only.
 *
 * <p>Design note: the connector's idle timeout must outlast the longest claim wait, so on its own
 * it let a client that never finishes its headers hold a connection for minutes, and one that
 * sends a byte now and then hold it forever (slowloris). A deadline, unlike an idle timeout, is
 * not reset by each byte. The connection limit bounds how many such clients fit at once; this
 * bounds how long each stays. It also closes keep-alive connections idle for the header timeout,
 * as Tomcat's connection timeout does.
 *
 * <p>Install both halves: {@link #listener()} on the connector (it sees connections open and
 * close) and {@link #handler()} in front of the server's handlers (it sees requests start and
 * end).
 */
final class HeaderTimeout {
  private static final Logger log = LoggerFactory.getLogger(HeaderTimeout.class);

  private final long timeoutMillis;
  private final Scheduler scheduler;
  private final Map<Connection, Deadline> deadlines = new ConcurrentHashMap<>();

  HeaderTimeout(Duration timeout, Scheduler scheduler) {
    this.timeoutMillis = timeout.toMillis();
    this.scheduler = scheduler;
  }

  /** Arms the deadline of each new connection, and forgets it when the connection closes. */
  Connection.Listener listener() {
    return new Connection.Listener() {
      @Override
      public void onOpened(Connection connection) {
        Deadline d = new Deadline(connection);
        deadlines.put(connection, d);
        d.arm();
      }

      @Override
      public void onClosed(Connection connection) {
        Deadline d = deadlines.remove(connection);
        if (d != null) {
          d.disarm();
        }
      }
    };
  }

  /** Disarms the deadline while a request is handled, and arms it again when its answer is done. */
  Handler.Singleton handler() {
    return new Handler.Wrapper() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Deadline d = deadlines.get(request.getConnectionMetaData().getConnection());
        if (d == null) {
          return super.handle(request, response, callback);
        }
        d.disarm();
        boolean handled;
        try {
          handled = super.handle(request, response, new Rearming(callback, d));
        } catch (Exception | Error e) {
          d.arm();
          throw e;
        }
        if (!handled) {
          d.arm();
        }
        return handled;
      }
    };
  }

  /**
   * One connection's deadline. Each arming is a new generation, so a timer that fires after its
   * deadline was disarmed (or armed again) closes nothing.
   */
  private final class Deadline {
    private final Connection connection;
    private Scheduler.Task task;
    private long generation;

    Deadline(Connection connection) {
      this.connection = connection;
    }

    synchronized void arm() {
      cancel();
      long armed = ++generation;
      task = scheduler.schedule(() -> expire(armed), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void disarm() {
      cancel();
      generation++;
    }

    private void cancel() {
      if (task != null) {
        task.cancel();
        task = null;
      }
    }

    private void expire(long armed) {
      synchronized (this) {
        if (armed != generation) {
          return;
        }
        task = null;
      }
      log.debug("closing {}: no request headers within {} ms", connection.getEndPoint().getRemoteSocketAddress(),
          timeoutMillis);
      connection.close();
    }
  }

  /** Arms the deadline again before the answer is reported done, so the next request finds it armed. */
  private static final class Rearming implements Callback {
    private final Callback callback;
    private final Deadline deadline;

    Rearming(Callback callback, Deadline deadline) {
      this.callback = callback;
      this.deadline = deadline;
    }

    @Override
    public void succeeded() {
      deadline.arm();
      callback.succeeded();
    }

    @Override
    public void failed(Throwable x) {
      deadline.arm();
      callback.failed(x);
    }

    @Override
    public InvocationType getInvocationType() {
      return callback.getInvocationType();
    }
  }
}
