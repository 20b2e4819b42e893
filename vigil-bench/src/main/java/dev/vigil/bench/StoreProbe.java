package dev.vigil.bench;

import dev.vigil.store.JobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Watches the engine's calls into its store without changing them: a {@link JobStore} proxy that
 * times every {@code claim} and counts the jobs each one returned, and counts the jobs handed to
 * {@code finish} / {@code finishAll}. A dynamic proxy rather than a subclass, so the harness keeps
 * compiling while the store SPI grows; it costs a reflective call per store call, well under a
 * microsecond against calls that take milliseconds.
 */
final class StoreProbe {
  private final Histogram claimLatency = new SynchronizedHistogram(Figures.latencyHistogram());
  private final LongAdder claims = new LongAdder();
  private final LongAdder claimed = new LongAdder();
  private final LongAdder finishCalls = new LongAdder();
  private final LongAdder finished = new LongAdder();

  /** {@code store} seen through this probe. */
  JobStore wrap(JobStore store) {
    return (JobStore)
        Proxy.newProxyInstance(
            JobStore.class.getClassLoader(),
            new Class<?>[] {JobStore.class},
            (proxy, method, args) -> {
              String name = method.getName();
              long t = System.nanoTime();
              Object result;
              try {
                result = method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (name.equals("claim")) {
                Figures.recordNanos(claimLatency, System.nanoTime() - t);
                claims.increment();
                claimed.add(((List<?>) result).size());
              } else if (name.equals("finish")) {
                finishCalls.increment();
                finished.increment();
              } else if (name.equals("finishAll")
                  && args != null
                  && args[0] instanceof Collection<?> c) {
                finishCalls.increment();
                finished.add(c.size());
              }
              return result;
            });
  }

  /** What the engine asked of its store: claims, their latency and size, finish batches. */
  Map<String, Object> figures() {
    var m = new LinkedHashMap<String, Object>();
    m.put("claims", claims.sum());
    m.put(
        "jobs_per_claim",
        claims.sum() == 0 ? 0 : Figures.round1((double) claimed.sum() / claims.sum()));
    m.put("claim_p50_ms", Figures.ms(claimLatency.getValueAtPercentile(50)));
    m.put("claim_p99_ms", Figures.ms(claimLatency.getValueAtPercentile(99)));
    m.put("finish_calls", finishCalls.sum());
    m.put(
        "jobs_per_finish_call",
        finishCalls.sum() == 0 ? 0 : Figures.round1((double) finished.sum() / finishCalls.sum()));
    return m;
  }
}
