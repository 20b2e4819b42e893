package dev.vigil;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events (job state changes, lane backpressure changes) to in-process subscribers without
 * ever blocking the engine.
 *
 * <p>Each subscriber has its own bounded buffer and its own virtual thread draining it. {@link
 * #publish} only offers to each buffer: when a subscriber falls behind and its buffer is full, the
 * event is dropped for that subscriber alone and counted, so one slow consumer (a webhook, a
 * dashboard stream) can neither stall the dispatcher nor starve the other subscribers.
 */
final class EventBus<E> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);

  private final int bufferSize;
  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();

  EventBus(int bufferSize) {
    this.bufferSize = bufferSize;
  }

  void publish(E event) {
    for (Subscriber s : subscribers) {
      s.offer(event);
    }
  }

  Subscription subscribe(Consumer<? super E> consumer) {
    var subscriber = new Subscriber(consumer, bufferSize);
    subscribers.add(subscriber);
    subscriber.start();
    return subscriber;
  }

  /** Events dropped across all subscribers since start. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    subscribers.forEach(Subscriber::close);
  }

  private final class Subscriber implements Subscription {
    private final Consumer<? super E> consumer;
    private final BlockingQueue<E> buffer;
    private final AtomicLong ownDrops = new AtomicLong();
    private volatile boolean open = true;
    private Thread thread;

    Subscriber(Consumer<? super E> consumer, int size) {
      this.consumer = consumer;
      this.buffer = new ArrayBlockingQueue<>(size);
    }

    void start() {
      thread = Thread.ofVirtual().name("vigil-events").start(this::drain);
    }

    void offer(E event) {
      if (open && !buffer.offer(event)) {
        ownDrops.incrementAndGet();
        dropped.incrementAndGet();
      }
    }

    private void drain() {
      while (open) {
        try {
          E event = buffer.take();
          consumer.accept(event);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("event subscriber failed on a {} event; continuing", e.getClass().getSimpleName(), e);
        }
      }
    }

    @Override
    public long dropped() {
      return ownDrops.get();
    }

    @Override
    public void close() {
      open = false;
      subscribers.remove(this);
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
