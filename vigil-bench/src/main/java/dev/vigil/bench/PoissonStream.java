package dev.vigil.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * An open-loop Poisson arrival stream: exponential gaps with the given mean rate, each arrival
 * handed to its own virtual thread, so a slow enqueue never delays the arrivals after it. The seed
 * is fixed, so every engine sees the same arrival pattern.
 */
final class PoissonStream {
  private PoissonStream() {}

  /**
   * Fires arrivals numbered from 0 for {@code window}; returns how many fired, once every arrival's
   * call has returned.
   *
   * @param arrival called on a new virtual thread with the arrival's number
   */
  static int run(double perSecond, Duration window, LongConsumer arrival) {
    var random = new SplittableRandom(20);
    long start = System.nanoTime();
    long next = start;
    int fired = 0;
    var threads = new java.util.ArrayList<Thread>();
    while (true) {
      next += (long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
      if (next - start > window.toNanos()) {
        break;
      }
      for (long left = next - System.nanoTime(); left > 0; left = next - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      long seq = fired++;
      threads.add(Thread.ofVirtual().name("bench-arrival").start(() -> arrival.accept(seq)));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return fired;
  }
}
