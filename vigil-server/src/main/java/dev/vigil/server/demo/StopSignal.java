package dev.vigil.server.demo;

import java.util.concurrent.CountDownLatch;
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
  private volatile String received;

  private StopSignal() {}

  /** Starts catching SIGINT and SIGTERM. */
  static StopSignal install() {
    var signal = new StopSignal();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signal.trigger("SIG" + name));
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        log.debug("cannot catch SIG{}; relying on the shutdown hook", name, e);
      }
    }
    return signal;
  }

  /** Blocks until a signal arrives (or {@link #trigger} is called); returns the signal's name. */
  String await() throws InterruptedException {
    stop.await();
    return received;
  }

  /** Waits up to {@code timeout} for a signal; true when one arrived. */
  boolean await(java.time.Duration timeout) throws InterruptedException {
    return stop.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Ends {@link #await()} as a signal would. */
  void trigger(String reason) {
    received = reason;
    stop.countDown();
  }
}
