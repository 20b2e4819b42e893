package dev.vigil.bench;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: arrivals at a constant rate, each due at {@code start + n /
 * rate}, each sent on a virtual thread of its own, so a slow answer never delays the arrivals
 * after it (a closed loop of clients would slow down with the server and hide the wait it causes:
 * coordinated omission). Each arrival is told when it was due, so its latency can be counted from
 * then; if the generator itself falls behind (a stalled machine), the late arrivals go out at once
 * and are still charged from their due time.
 *
 * <p>At most {@code maxInFlight} arrivals are outstanding; an arrival due while that many are is
 * not sent and counts as {@code dropped} (a server that stalls would otherwise make the generator
 * open connections without bound). A run that drops any says so: its offered load was lower.
 *
 * @param perSecond arrivals a second
 * @param window how long arrivals are due
 * @param maxInFlight the most arrivals outstanding at once
 * @param settle how long to wait, once the window has closed, for the outstanding arrivals
 */
record OpenLoopLoad(double perSecond, Duration window, int maxInFlight, Duration settle) {
  /** One arrival: sends its request and records the outcome; must not throw for a bad answer. */
  @FunctionalInterface
  interface Arrival {
    void send(long seq, long dueNanos) throws Exception;
  }

  /**
   * What was offered.
   *
   * @param fired arrivals sent
   * @param dropped arrivals not sent because {@code maxInFlight} were outstanding
   * @param failed arrivals whose {@link Arrival#send} threw
   * @param startNanos when the first arrival was due
   * @param endNanos when the window ended (no arrival is due at or after it)
   * @param unfinished arrivals still outstanding when the wait for them gave up
   * @param firstFailure what the first failed arrival threw, or {@code null}
   */
  record Result(
      long fired,
      long dropped,
      long failed,
      long startNanos,
      long endNanos,
      int unfinished,
      Throwable firstFailure) {}

  /**
   * Offers the arrivals from {@code start} (a {@link System#nanoTime()}, when the first is due),
   * runs {@code atEnd} on the generator's thread as the window closes, then waits up to {@code
   * settle} for the outstanding arrivals to return.
   */
  Result run(long start, Arrival arrival, Runnable atEnd) throws InterruptedException {
    var slots = new Semaphore(maxInFlight);
    var failed = new AtomicLong();
    var firstFailure = new AtomicReference<Throwable>();
    long end = start + window.toNanos();
    long fired = 0;
    long dropped = 0;
    for (long seq = 0; ; seq++) {
      long due = start + (long) (seq * 1e9 / perSecond);
      if (due - end >= 0) {
        break;
      }
      for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      if (!slots.tryAcquire()) {
        dropped++;
        continue;
      }
      fired++;
      long n = seq;
      Thread.ofVirtual()
          .name("bench-arrival")
          .start(
              () -> {
                try {
                  arrival.send(n, due);
                } catch (Exception | Error e) {
                  failed.incrementAndGet();
                  firstFailure.compareAndSet(null, e);
                } finally {
                  slots.release();
                }
              });
    }
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    atEnd.run();
    int unfinished = 0;
    if (!slots.tryAcquire(maxInFlight, settle.toMillis(), TimeUnit.MILLISECONDS)) {
      unfinished = maxInFlight - slots.availablePermits();
    }
    return new Result(
        fired, dropped, failed.get(), start, end, unfinished, firstFailure.get());
  }
}
