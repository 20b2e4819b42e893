package dev.vigil.server.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store answers, for readiness: runs a probe (a trivial read, or the store's own
 * round trip) with a short timeout.
 *
 * <p>Design: health checks arrive from load balancers, orchestrators and people at once, and most
 * often when something is already wrong. So a probe never runs twice at the same time (callers
 * arriving meanwhile wait for the one in flight, for what is left of its timeout), and an answer
 * is reused for {@link #MAX_AGE}. Only "up" is ever waited for: once the store was found down
 * (the probe failed, or gave no answer within the timeout), callers get that answer at once while
 * a fresh probe runs behind them, so readiness answers quickly during an outage (a pool waits
 * seconds for a connection that will not come) and turns up as soon as one probe succeeds. The
 * probe runs on a virtual thread, so a stuck one holds no platform thread.
 */
final class StoreHealth {
  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

  /** How long one answer is reused. */
  static final Duration MAX_AGE = Duration.ofMillis(250);

  /** A probe's outcome: up or not, how long it took (or how long we waited), and why not. */
  record Result(boolean up, double latencyMs, String reason, long atNanos) {}

  private final Runnable probe;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private CompletableFuture<Result> inFlight;
  private long inFlightSince;
  private Result last;

  /**
   * @param probe a round trip to the store that throws when the store cannot answer
   * @param timeout how long a caller waits for it before calling the store down
   */
  StoreHealth(Runnable probe, Duration timeout) {
    this(probe, timeout, System::nanoTime);
  }

  /**
   * As {@link #StoreHealth(Runnable, Duration)}, with the ticker that dates answers and times
   * probes; tests move it by hand. A caller still waits for a probe in real time, at most for
   * what is left of {@code timeout} by this ticker.
   */
  StoreHealth(Runnable probe, Duration timeout, LongSupplier nanoTime) {
    this.probe = probe;
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The store's state now, or as probed at most {@link #MAX_AGE} ago. */
  Result check() {
    CompletableFuture<Result> pending;
    long waitNanos;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      boolean fresh = last != null && now - last.atNanos() < MAX_AGE.toNanos();
      if (fresh) {
        return last;
      }
      if (inFlight == null) {
        var probing = new CompletableFuture<Result>();
        inFlight = probing;
        inFlightSince = now;
        // remembered before it completes: whoever gets this answer finds it the latest one
        Thread.ofVirtual()
            .name("vigil-store-health")
            .start(
                () -> {
                  Result r = runProbe();
                  finished(probing, r);
                  probing.complete(r);
                });
      }
      if (last != null && !last.up()) {
        return last; // known down: do not wait; the probe just started (or still running) decides
      }
      pending = inFlight;
      waitNanos = timeoutNanos - (now - inFlightSince);
    }
    if (waitNanos <= 0) {
      return timedOut();
    }
    try {
      return pending.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return timedOut();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down(0, "interrupted");
    } catch (ExecutionException e) {
      return down(0, e.getCause().getClass().getSimpleName());
    }
  }

  private Result runProbe() {
    long start = nanoTime.getAsLong();
    try {
      probe.run();
      long end = nanoTime.getAsLong();
      return new Result(true, millis(end - start), null, end);
    } catch (RuntimeException e) {
      long end = nanoTime.getAsLong();
      return new Result(false, millis(end - start), e.getClass().getSimpleName(), end);
    }
  }

  private synchronized void finished(CompletableFuture<Result> probing, Result result) {
    if (inFlight == probing) {
      inFlight = null;
    }
    remember(result);
  }

  /** Keeps {@code r} as the latest answer; logs only the changes, not every probe of an outage. */
  private void remember(Result r) {
    boolean wasUp = last == null || last.up();
    if (wasUp && !r.up()) {
      log.warn("store health check: the store is down ({})", r.reason());
    } else if (!wasUp && r.up()) {
      log.info("store health check: the store answers again");
    }
    last = r;
  }

  /** No answer within the timeout: down, and remembered as down until a probe answers. */
  private synchronized Result timedOut() {
    Result r = down(timeoutNanos, "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    if (inFlight != null) { // else a probe answered meanwhile, and its answer is newer
      remember(r);
    }
    return r;
  }

  private Result down(long waitedNanos, String reason) {
    return new Result(false, millis(waitedNanos), reason, nanoTime.getAsLong());
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
