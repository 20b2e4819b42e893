package dev.vigil;

import java.util.function.LongSupplier;

/**
 * How many jobs of each lane ended on this node lately: the jobs ended in the current window of
 * {@link #WINDOW} and in the one before, whichever is more. The dispatcher claims a lane's jobs
 * ahead of free slots only up to this number, so it prefetches for lanes whose jobs turn over
 * quickly (where one claim per free slot would cost a store round trip per handful of jobs) and
 * never for lanes of long jobs (where a prefetched job would hold its lease waiting for a slot).
 * Not thread-safe: the dispatcher calls it under its lock.
 */
final class LaneTurnover {
  static final long WINDOW = 100_000_000L; // 100 ms in nanoseconds

  private final LongSupplier nanoTime;
  private final int[] current;
  private final int[] previous;
  private long windowStart;

  LaneTurnover(int lanes, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.current = new int[lanes];
    this.previous = new int[lanes];
    this.windowStart = nanoTime.getAsLong();
  }

  /** A job of the lane ended. */
  void ended(int lane) {
    roll();
    current[lane]++;
  }

  /** Jobs of the lane ended in the current or the last whole window, whichever saw more. */
  int recent(int lane) {
    roll();
    return Math.max(current[lane], previous[lane]);
  }

  private void roll() {
    long now = nanoTime.getAsLong();
    long elapsed = now - windowStart;
    if (elapsed < WINDOW) {
      return;
    }
    for (int i = 0; i < current.length; i++) {
      previous[i] = elapsed < 2 * WINDOW ? current[i] : 0;
      current[i] = 0;
    }
    windowStart = now;
  }
}
