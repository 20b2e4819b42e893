package dev.vigil;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * The remote claims waiting for work, by the lanes they serve, so that new ready work in a lane
 * wakes only the claims that could take it, and at most so many claims wait at once.
 *
 * <p>Design: each waiting claim is a {@link Waiter} registered under every lane it serves. A wake
 * of a lane unparks exactly those waiters. The wait is race-free: a waiter clears its flag, tries
 * the store, and parks only if no wake came since it cleared the flag. Waiting parks a virtual
 * thread; no platform thread is held, and a wake costs nothing for claims of other lanes.
 */
final class ClaimWaiters {
  /** When a refused claim may try again: by then claims that were waiting have answered or left. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** One waiting claim. */
  static final class Waiter {
    private final String workerId;
    private final int[] lanes;
    private final Thread thread = Thread.currentThread();
    private volatile boolean woken;

    private Waiter(String workerId, int[] lanes) {
      this.workerId = workerId;
      this.lanes = lanes;
    }

    /** Whether a wake came since the last {@link #clear}. */
    boolean woken() {
      return woken;
    }

    /** Forgets earlier wakes: call before looking for work. */
    void clear() {
      woken = false;
    }

    /** Parks until woken or the time passes; returns at once if woken since {@link #clear}. */
    void await(long nanos) throws InterruptedException {
      long deadline = System.nanoTime() + nanos;
      while (!woken) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }

    private void wake() {
      woken = true;
      LockSupport.unpark(thread);
    }
  }

  private final List<Set<Waiter>> byLane;
  private final Set<Waiter> all = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> perWorker = new ConcurrentHashMap<>();
  private final ClaimLimits limits;

  ClaimWaiters(int lanes, ClaimLimits limits) {
    this.byLane = IntStream.range(0, lanes).<Set<Waiter>>mapToObj(i -> ConcurrentHashMap.newKeySet()).toList();
    this.limits = limits;
  }

  /**
   * Registers the calling thread's claim under the lanes it serves.
   *
   * @throws TooManyClaimsException when the node or the worker id already has as many waiting
   *     claims as the limits allow
   */
  synchronized Waiter register(String workerId, boolean[] served) {
    if (all.size() >= limits.maxWaiting()) {
      throw new TooManyClaimsException(
          "too many claims are waiting on this node (at most " + limits.maxWaiting() + ")", RETRY_AFTER);
    }
    int mine = perWorker.getOrDefault(workerId, 0);
    if (mine >= limits.maxWaitingPerWorker()) {
      throw new TooManyClaimsException(
          "worker " + workerId + " already has " + mine + " waiting claims (at most "
              + limits.maxWaitingPerWorker() + ")",
          RETRY_AFTER);
    }
    int[] lanes = IntStream.range(0, served.length).filter(i -> served[i]).toArray();
    Waiter w = new Waiter(workerId, lanes);
    all.add(w);
    perWorker.put(workerId, mine + 1);
    for (int lane : lanes) {
      byLane.get(lane).add(w);
    }
    return w;
  }

  synchronized void remove(Waiter w) {
    if (all.remove(w)) {
      perWorker.computeIfPresent(w.workerId, (id, n) -> n == 1 ? null : n - 1);
      for (int lane : w.lanes) {
        byLane.get(lane).remove(w);
      }
    }
  }

  /** Work may be ready in a lane: wakes the claims that serve it. */
  void wake(int lane) {
    byLane.get(lane).forEach(Waiter::wake);
  }

  /** Something changed for every claim (a resume, the fleet, shutdown): wakes them all. */
  void wakeAll() {
    all.forEach(Waiter::wake);
  }

  /** Claims waiting right now. */
  int size() {
    return all.size();
  }
}
