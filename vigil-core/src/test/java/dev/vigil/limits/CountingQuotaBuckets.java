package dev.vigil.limits;

import dev.vigil.limits.spi.QuotaBuckets;
import io.github.bucket4j.Bucket;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Other buckets, counting every call made to one of them: with shared buckets, each is a round
 * trip. For tests of how often a claim draws.
 */
public final class CountingQuotaBuckets implements QuotaBuckets {
  private final QuotaBuckets buckets;
  private final AtomicInteger calls = new AtomicInteger();

  public CountingQuotaBuckets(QuotaBuckets buckets) {
    this.buckets = buckets;
  }

  /** The calls made to any bucket so far. */
  public int calls() {
    return calls.get();
  }

  /** Starts counting again from zero. */
  public void reset() {
    calls.set(0);
  }

  @Override
  public Bucket bucket(String name, long capacity, Duration window) {
    Bucket real = buckets.bucket(name, capacity, window);
    return (Bucket) Proxy.newProxyInstance(
        Bucket.class.getClassLoader(),
        new Class<?>[] {Bucket.class},
        (proxy, method, args) -> {
          calls.incrementAndGet();
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public boolean shared() {
    return buckets.shared();
  }

  @Override
  public Map<String, Long> snapshot(int max) {
    return buckets.snapshot(max);
  }

  @Override
  public int removeIdle(int max) {
    return buckets.removeIdle(max);
  }
}
