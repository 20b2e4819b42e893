package dev.vigil.server.http;

import dev.vigil.server.http.HttpLimitSettings.Quota;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket (Bucket4j, local) per client for one quota: each client may send the quota's
 * requests at once, and gets them back evenly over the window (greedy refill: {@code 600/1m} gives
 * one back every 100 ms).
 *
 * <p>Design note: clients can be many (every remote address that reaches the port), so the buckets
 * are kept in a map bounded to {@link #MAX_CLIENTS}, least recently used first out. Forgetting an
 * idle client loses nothing once its bucket has refilled, since a new bucket starts full; only when
 * more clients than the bound are active within one window can one of them find a fresh bucket
 * early. A bucket is a few hundred bytes, so the bound keeps a class's buckets within a few MiB.
 */
final class ClientBuckets {
  /** The most clients whose buckets are kept. */
  static final int MAX_CLIENTS = 10_000;

  private final Quota quota;
  private final TimeMeter time;
  private final Map<String, Bucket> buckets;

  ClientBuckets(Quota quota, TimeMeter time, int maxClients) {
    this.quota = quota;
    this.time = time;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxClients;
          }
        };
  }

  /**
   * What one request of {@code client} found.
   *
   * @param allowed whether it may go on (one request was taken from the client's bucket)
   * @param remaining requests the client has left now
   * @param seconds whole seconds, rounded up, until the client has one request more than {@code
   *     remaining}: after a refusal, how long to wait
   */
  record Take(boolean allowed, long remaining, long seconds) {}

  /** Takes one request from {@code client}'s bucket, if it has one. */
  Take take(String client) {
    Bucket bucket = bucket(client);
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      return new Take(false, 0, seconds(probe.getNanosToWaitForRefill()));
    }
    long remaining = probe.getRemainingTokens();
    long nanos = bucket.estimateAbilityToConsume(remaining + 1).getNanosToWaitForRefill();
    return new Take(true, remaining, seconds(nanos));
  }

  /** How many clients have a bucket (at most the bound). */
  int clients() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  private Bucket bucket(String client) {
    synchronized (buckets) {
      return buckets.computeIfAbsent(client, c -> newBucket());
    }
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .withCustomTimePrecision(time)
        .addLimit(limit -> limit.capacity(quota.requests()).refillGreedy(quota.requests(), quota.window()))
        .build();
  }

  private static long seconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }
}
