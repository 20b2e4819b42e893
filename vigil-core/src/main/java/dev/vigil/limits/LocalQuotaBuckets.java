package dev.vigil.limits;

import dev.vigil.limits.spi.QuotaBuckets;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Buckets kept in this process: each call makes a new in-memory Bucket4j bucket, which its caller
 * ({@link KeyLimits}) keeps. For one node, or a store that is not shared (SQLite).
 */
final class LocalQuotaBuckets implements QuotaBuckets {
  private final TimeMeter meter;

  LocalQuotaBuckets(InstantSource clock) {
    this.meter = QuotaBuckets.meter(clock);
  }

  @Override
  public Bucket bucket(String name, long capacity, Duration window) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
        .withCustomTimePrecision(meter)
        .build();
  }

  @Override
  public boolean shared() {
    return false;
  }
}
