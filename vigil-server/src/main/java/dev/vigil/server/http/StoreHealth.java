package dev.vigil.server.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store answers, for readiness: runs a probe (a trivial read, or the store's own
 * round trip) with a short timeout.
 *
 * <p>Design: health checks arrive from load balancers, orchestrators and people at once, and most
 * often when something is already wrong. So a probe never runs twice at the same time (callers
 * arriving meanwhile wait for the one in flight, for what is left of its timeout), an answer is
 * reused for {@link #MAX_AGE}, and a probe stuck on a dead connection (a pool waiting for a
 * connection that will not come) makes every caller answer "down" once its timeout has passed,
 * without waiting again, until it returns. The probe runs on a virtual thread, so a stuck one
 * holds no platform thread.
 */
final class StoreHealth {
  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

  /** How long one answer is reused. */
  static final Duration MAX_AGE = Duration.ofMillis(250);

  /** A probe's outcome: up or not, how long it took (or how long we waited), and why not. */
  record Result(boolean up, double latencyMs, String reason, long atNanos) {}

  private final Runnable probe;
  private final long timeoutNanos;
  private CompletableFuture<Result> inFlight;
  private long inFlightSince;
  private Result last;

  /**
   * @param probe a round trip to the store that throws when the store cannot answer
   * @param timeout how long a caller waits for it before calling the store down
   */
  StoreHealth(Runnable probe, Duration timeout) {
    this.probe = probe;
    this.timeoutNanos = timeout.toNanos();
  }

  /** The store's state now, or as probed at most {@link #MAX_AGE} ago. */
  Result check() {
    CompletableFuture<Result> pending;
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      if (last != null && now - last.atNanos() < MAX_AGE.toNanos()) {
        return last;
      }
      if (inFlight == null) {
        var probing = new CompletableFuture<Result>();
        inFlight = probing;
        inFlightSince = now;
        probing.whenComplete((result, failure) -> finished(probing, result));
        Thread.ofVirtual().name("vigil-store-health").start(() -> probing.complete(runProbe()));
      }
      pending = inFlight;
      waitNanos = timeoutNanos - (now - inFlightSince);
    }
    if (waitNanos <= 0) {
      return down(timeoutNanos, "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }
    try {
      return pending.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return down(timeoutNanos, "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down(0, "interrupted");
    } catch (ExecutionException e) {
      return down(0, e.getCause().getClass().getSimpleName());
    }
  }

  private Result runProbe() {
    long start = System.nanoTime();
    try {
      probe.run();
      return new Result(true, millis(System.nanoTime() - start), null, System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("health check: store round trip failed: {}", e.getClass().getName());
      return new Result(false, millis(System.nanoTime() - start), e.getClass().getSimpleName(), System.nanoTime());
    }
  }

  private synchronized void finished(CompletableFuture<Result> probing, Result result) {
    if (inFlight == probing) {
      inFlight = null;
    }
    last = result;
  }

  private static Result down(long waitedNanos, String reason) {
    return new Result(false, millis(waitedNanos), reason, System.nanoTime());
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
