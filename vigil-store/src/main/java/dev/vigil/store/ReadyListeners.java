package dev.vigil.store;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners told of lanes with new ready work; one failing listener does not stop the rest. */
final class ReadyListeners {
  private static final Logger LOG = LoggerFactory.getLogger(ReadyListeners.class);

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  void add(Consumer<String> listener) {
    listeners.add(listener);
  }

  void tell(Collection<String> lanes) {
    for (String lane : lanes) {
      for (Consumer<String> listener : listeners) {
        try {
          listener.accept(lane);
        } catch (RuntimeException e) {
          LOG.warn("a ready listener failed for lane {}", lane, e);
        }
      }
    }
  }
}
