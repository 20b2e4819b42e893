package dev.vigil.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Enqueues {@code total} jobs from {@code threads} platform threads, {@code batch} jobs per call,
 * all threads released at once. Records when the first call started and the last one returned.
 */
final class Producers {
  /** One enqueue call: {@code count} jobs, the first numbered {@code first}. */
  @FunctionalInterface
  interface BatchEnqueuer {
    void enqueue(int producer, long first, int count) throws Exception;
  }

  private final AtomicLong enqueued = new AtomicLong();
  private volatile long startNanos;
  private volatile long endNanos;

  /** Jobs whose enqueue call has returned so far. */
  long enqueued() {
    return enqueued.get();
  }

  long startNanos() {
    return startNanos;
  }

  /** Nanoseconds from the first call's start to the last call's return. */
  long elapsedNanos() {
    return endNanos - startNanos;
  }

  /** Runs the producers and returns once every job is enqueued; rethrows the first failure. */
  void run(int threads, long total, int batch, BatchEnqueuer enqueuer) throws Exception {
    run(threads, total, batch, enqueuer, null);
  }

  /**
   * As {@link #run(int, long, int, BatchEnqueuer)}, each producer reporting its CPU to {@code cpu}.
   */
  void run(int threads, long total, int batch, BatchEnqueuer enqueuer, ThreadCpu cpu)
      throws Exception {
    var go = new CountDownLatch(1);
    var failure = new AtomicReference<Exception>();
    List<Thread> producers = new ArrayList<>();
    long perThread = (total + threads - 1) / threads;
    for (int p = 0; p < threads; p++) {
      final int producer = p;
      long from = p * perThread;
      long to = Math.min(total, from + perThread);
      producers.add(
          Thread.ofPlatform()
              .name("bench-producer-" + p)
              .start(
                  () -> {
                    long cpu0 = ThreadCpu.currentThreadNanos();
                    try {
                      go.await();
                      for (long first = from; first < to && failure.get() == null; first += batch) {
                        int n = (int) Math.min(batch, to - first);
                        enqueuer.enqueue(producer, first, n);
                        enqueued.addAndGet(n);
                      }
                    } catch (Exception e) {
                      failure.compareAndSet(null, e);
                    } finally {
                      if (cpu != null) {
                        cpu.add("bench-producer-N", ThreadCpu.currentThreadNanos() - cpu0);
                      }
                    }
                  }));
    }
    startNanos = System.nanoTime();
    go.countDown();
    for (Thread t : producers) {
      t.join();
    }
    endNanos = System.nanoTime();
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** The progress line of a throughput run: jobs enqueued so far, and started of {@code jobs}. */
  Supplier<String> progress(LongSupplier started, long jobs) {
    return () -> "enqueued " + enqueued() + ", started " + started.getAsLong() + " of " + jobs;
  }
}
