package dev.vigil.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on SIGTERM and SIGINT instead of the JVM's default (which exits with status
 * 143 or 130 after the shutdown hooks). Uses {@code sun.misc.Signal} from the exported {@code
 * jdk.unsupported} module.
 *
 * <p>An application's own handler wins: if the signal already has a handler that is not the
 * JDK's, it is put back, and the application decides when to stop (the caller's shutdown hook
 * still stops the server at exit). Where a signal cannot be handled at all (for example under
 * {@code -Xrs}) the JVM's default stays.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void onTermination(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal signal = new Signal(name);
        SignalHandler previous = Signal.handle(signal, s -> action.run());
        if (previous != null && !previous.getClass().getPackageName().equals("sun.misc")) {
          Signal.handle(signal, previous);
          log.debug("SIG{} already has an application handler; keeping it", name);
        }
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        log.debug("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
