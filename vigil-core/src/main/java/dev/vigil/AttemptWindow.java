package dev.vigil;

import java.time.Duration;
import java.time.Instant;

/**
 * The latest finished attempts of one circuit breaker: at most {@code capacity} of them, none older
 * than {@code window}, each failed or not. A ring buffer, so adding costs no allocation. Not
 * thread-safe: its {@link Breaker} guards it.
 */
final class AttemptWindow {
  private final long[] at;
  private final boolean[] failed;
  private final long windowMillis;
  private int head;
  private int size;
  private int failures;

  AttemptWindow(int capacity, Duration window) {
    this.at = new long[capacity];
    this.failed = new boolean[capacity];
    this.windowMillis = window.toMillis();
  }

  /** Adds an attempt that ended at {@code now}, dropping the oldest when full. */
  void add(Instant now, boolean failedAttempt) {
    prune(now);
    if (size == at.length) {
      dropOldest();
    }
    int tail = (head + size) % at.length;
    at[tail] = now.toEpochMilli();
    failed[tail] = failedAttempt;
    size++;
    if (failedAttempt) {
      failures++;
    }
  }

  /** Drops the attempts that ended before {@code now - window}. */
  void prune(Instant now) {
    long cutoff = now.toEpochMilli() - windowMillis;
    while (size > 0 && at[head] < cutoff) {
      dropOldest();
    }
  }

  /** Whether it holds {@code capacity} attempts. */
  boolean full() {
    return size == at.length;
  }

  /** The share of failed attempts among those held; 0 when none is. */
  double failureRatio() {
    return size == 0 ? 0 : (double) failures / size;
  }

  void clear() {
    head = 0;
    size = 0;
    failures = 0;
  }

  private void dropOldest() {
    if (failed[head]) {
      failures--;
    }
    head = (head + 1) % at.length;
    size--;
  }
}
