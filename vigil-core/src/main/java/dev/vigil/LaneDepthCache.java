package dev.vigil;

import dev.vigil.store.JobStore;
import dev.vigil.store.LaneDepth;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's lane depths, shared by the backpressure duty (which reads the store once a second
 * with {@link #readNow()}) and the gauges (which read it themselves only when the last answer is
 * older than {@code maxAge}, as when no duty runs). A scrape reads a dozen depth gauges and
 * several scrapers may come at once; only the first caller after the answer went stale asks the
 * store, and callers arriving while it does get the previous answer rather than waiting. When the
 * store fails, the last answer stays.
 */
final class LaneDepthCache {
  private static final Logger log = LoggerFactory.getLogger(LaneDepthCache.class);

  private final JobStore store;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile Map<String, LaneDepth> depths = Map.of();
  private volatile long readAt;
  private volatile boolean read;

  /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}) */
  LaneDepthCache(JobStore store, Duration maxAge, LongSupplier nanoTime) {
    this.store = store;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The depth of {@code lane}, or null when it holds no active job. */
  LaneDepth get(String lane) {
    return current().get(lane);
  }

  /** Every lane's depth, as read at most {@code maxAge} ago. */
  Map<String, LaneDepth> current() {
    long now = nanoTime.getAsLong();
    if ((!read || now - readAt >= maxAgeNanos) && refreshing.tryLock()) {
      try {
        if (!read || nanoTime.getAsLong() - readAt >= maxAgeNanos) {
          refresh();
        }
      } finally {
        refreshing.unlock();
      }
    }
    return depths;
  }

  /**
   * Reads the store now, for the backpressure duty; the gauges then use this answer. Null when the
   * store could not be read (the gauges keep the last answer).
   */
  Map<String, LaneDepth> readNow() {
    refreshing.lock();
    try {
      return refresh() ? depths : null;
    } finally {
      refreshing.unlock();
    }
  }

  private boolean refresh() {
    boolean ok;
    try {
      var next = new HashMap<String, LaneDepth>();
      for (LaneDepth d : store.laneDepths()) {
        next.put(d.lane(), d);
      }
      depths = Map.copyOf(next);
      ok = true;
    } catch (RuntimeException e) {
      log.debug("lane depths could not be read: {}", e.toString());
      ok = false;
    }
    readAt = nanoTime.getAsLong();
    read = true;
    return ok;
  }
}
