package dev.vigil.limits.spi;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

/**
 * Where the token buckets of limits per key live: in this process (the default, and what the
 * SQLite store uses), or in a database every node shares, so that a rate of 500 a minute is 500
 * for the cluster rather than 500 per node. A store offers its own through {@link
 * dev.vigil.store.JobStore#quotaBuckets}; the engine asks for them once, at start.
 *
 * <p>Every bucket is a greedy token bucket: {@code capacity} tokens, refilled evenly over {@code
 * window}. Two calls with the same name, on any node sharing the source, draw from one bucket; a
 * name carries its capacity and window, so a changed rule gets a bucket of its own.
 *
 * <p>A shared bucket's every call is a round trip to its database; callers draw once per claim for
 * many jobs and give back what those jobs did not use ({@code KeyLimits} does).
 */
public interface QuotaBuckets {
  /**
   * The bucket {@code name}, created full on first use. Cheap: no round trip until it is drawn
   * from.
   *
   * @param name at most 200 characters; equal names share one bucket
   * @param capacity tokens when full, at least 1
   * @param window how long an empty bucket takes to fill up again
   */
  Bucket bucket(String name, long capacity, Duration window);

  /** Whether other processes draw from the same buckets (each call is then a round trip). */
  boolean shared();

  /**
   * Tokens left now in the buckets drawn from recently (by any node), by name, at most {@code max}
   * of them, read at once; a bucket not listed is full. Empty for buckets kept in this process,
   * whose callers ask each bucket.
   */
  default Map<String, Long> snapshot(int max) {
    return Map.of();
  }

  /**
   * Forgets up to {@code max} buckets that have been full again for a while (forgetting a full
   * bucket changes nothing: it is created full on its next use); returns how many. A shared source
   * keeps a row per bucket, which this keeps from growing without bound.
   */
  default int removeIdle(int max) {
    return 0;
  }

  /** A Bucket4j clock reading {@code clock} (wall-clock based, as distributed buckets require). */
  static TimeMeter meter(InstantSource clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }
}
