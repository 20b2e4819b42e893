package dev.vigil;

/** A registration on the event bus; closing it stops delivery. */
public interface Subscription extends AutoCloseable {

  /** Events dropped because this subscriber's buffer was full. */
  long dropped();

  @Override
  void close();
}
