package dev.vigil.server.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for Ctrl-C (SIGINT) or SIGTERM, so that {@code vigil demo} can stop its load, its status
 * line and then the server in order, and exit 0 instead of being ended by the JVM with status 130.
 * ({@code VigilServer.installShutdownHook()} would close the server and exit from the signal
 * handler while the demo's threads still use it.) Where the signals cannot be caught, the JVM's
 * default stays: it exits, and the leases of jobs still running expire and are rescued at the next
 * start.
 */
final class StopSignal {
  private static final Logger log = LoggerFactory.getLogger(StopSignal.class);

  private final CountDownLatch stop = new CountDownLatch(1);

  private StopSignal() {}

  /** Starts catching SIGINT and SIGTERM. */
  static StopSignal install() {
    var signal = new StopSignal();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signal.stop.countDown());
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        log.debug("cannot catch SIG{}; the JVM's default stays", name, e);
      }
    }
    return signal;
  }

  /** Waits up to {@code timeout} for a signal; true once one has arrived. */
  boolean await(Duration timeout) throws InterruptedException {
    return stop.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
