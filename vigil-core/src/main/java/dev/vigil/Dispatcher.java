package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills this node's worker slots with claimed jobs.
 *
 * <p>Design: one loop thread owns the slot accounting. Each turn it asks the {@link
 * LaneScheduler} how to share the free slots among lanes that may have work, reserves those
 * slots, claims up to that many jobs per lane in a single store round trip, starts what it got
 * and gives back what it did not. A lane that yields fewer jobs than asked is marked empty until a
 * signal says otherwise; signals come from the store after a commit (enqueue, promotion, retry),
 * from a freed slot, or from a resume. Each lane carries a generation number so that a signal
 * arriving while a claim is in flight is never lost. With nothing to do the loop sleeps on a
 * condition; a slow safety poll ({@link #SAFETY_POLL}) covers signals a shared store could miss.
 *
 * <p>A lane never reserves all of a node's slots: on a node with fewer slots than a lane's {@code
 * reserved + 1}, the lane keeps one slot it may use, so every lane can run somewhere.
 *
 * <p>Claims are sized to the slots a lane may use right now, so nothing is leased ahead of a free
 * slot: a high lane's job never waits behind low-lane jobs that were prefetched.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final Duration SAFETY_POLL = Duration.ofSeconds(1);
  private static final Duration STORE_ERROR_BACKOFF = Duration.ofMillis(250);

  private final EngineConfig config;
  private final JobStore store;
  private final LaneScheduler scheduler;
  private final LanePauses pauses;
  private final Set<String> types;
  private final BiConsumer<Job, Integer> starter;
  private final JobEvents events;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final int[] running;
  private final boolean[] maybeReady;
  private final long[] generation;
  private int free;
  private boolean signalled;
  private volatile boolean stopping;
  private volatile long loopTurns;
  private volatile long lastTurnMillis = -1;
  private Thread thread;

  Dispatcher(
      EngineConfig config,
      JobStore store,
      LanePauses pauses,
      Set<String> types,
      JobEvents events,
      BiConsumer<Job, Integer> starter) {
    this.config = config;
    this.store = store;
    this.pauses = pauses;
    this.types = Set.copyOf(types);
    this.starter = starter;
    this.events = events;
    this.scheduler = new LaneScheduler(config.lanes());
    int lanes = config.lanes().size();
    this.running = new int[lanes];
    this.maybeReady = new boolean[lanes];
    this.generation = new long[lanes];
    java.util.Arrays.fill(maybeReady, true);
    this.free = config.workers();
  }

  /** Starts the loop; without handlers there is nothing to run and no loop is started. */
  void start() {
    if (!types.isEmpty()) {
      lastTurnMillis = config.clock().millis();
      thread = Thread.ofPlatform().name("vigil-dispatcher").daemon().start(this::loop);
    }
  }

  /** The store says a lane has new ready work. */
  void onReady(String lane) {
    int i = config.laneIndex(lane);
    if (i >= 0) {
      signal(i);
    }
  }

  /** A worker slot of the given lane came free. */
  void slotFreed(int lane) {
    lock.lock();
    try {
      running[lane]--;
      free++;
      signalled = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Something changed for every lane (a resume, a safety poll): look again. */
  void wakeAll() {
    lock.lock();
    try {
      for (int i = 0; i < maybeReady.length; i++) {
        maybeReady[i] = true;
        generation[i]++;
      }
      signalled = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Stops claiming; running jobs are not touched. */
  void stop() {
    stopping = true;
    lock.lock();
    try {
      wake.signal();
    } finally {
      lock.unlock();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Jobs this node runs now, per lane index. */
  int running(int lane) {
    lock.lock();
    try {
      return running[lane];
    } finally {
      lock.unlock();
    }
  }

  /** Turns of the loop so far; a stalled loop stops counting. */
  long loopTurns() {
    return loopTurns;
  }

  /**
   * When the loop last turned, in the engine clock's epoch milliseconds; -1 when no loop runs
   * (no handlers, or stopped). A live loop turns at least once per {@link #SAFETY_POLL}.
   */
  long lastTurnMillis() {
    return stopping ? -1 : lastTurnMillis;
  }

  private void signal(int lane) {
    lock.lock();
    try {
      maybeReady[lane] = true;
      generation[lane]++;
      signalled = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (!stopping) {
      loopTurns++;
      lastTurnMillis = config.clock().millis();
      int[] quota;
      long[] seen;
      lock.lock();
      try {
        quota = awaitPlan();
        if (quota == null) {
          return;
        }
        for (int i = 0; i < quota.length; i++) {
          running[i] += quota[i];
          free -= quota[i];
        }
        seen = generation.clone();
      } finally {
        lock.unlock();
      }
      claimAndStart(quota, seen);
    }
  }

  /** Waits until some lane can take a slot; null when stopping. Called under the lock. */
  private int[] awaitPlan() {
    while (!stopping) {
      int[] quota = scheduler.plan(free, view());
      if (java.util.Arrays.stream(quota).sum() > 0) {
        return quota;
      }
      signalled = false;
      try {
        wake.await(SAFETY_POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      loopTurns++;
      lastTurnMillis = config.clock().millis();
      if (!signalled) {
        java.util.Arrays.fill(maybeReady, true);
      }
    }
    return null;
  }

  private LaneScheduler.LaneView view() {
    return new LaneScheduler.LaneView() {
      @Override
      public boolean hasWork(int lane) {
        return maybeReady[lane];
      }

      @Override
      public boolean paused(int lane) {
        return pauses.isPaused(lane);
      }

      @Override
      public int running(int lane) {
        return running[lane];
      }

      @Override
      public int reserved(int lane, int configured) {
        return Math.min(configured, config.workers() - 1);
      }
    };
  }

  private void claimAndStart(int[] quota, long[] seen) {
    var quotas = new ArrayList<LaneQuota>();
    for (int i = 0; i < quota.length; i++) {
      if (quota[i] > 0) {
        quotas.add(new LaneQuota(config.lanes().get(i).name(), quota[i], config.lanes().get(i).maxConcurrency()));
      }
    }
    List<Job> claimed = List.of();
    boolean failed = false;
    try {
      claimed =
          store.claim(
              new ClaimRequest(
                  config.workerId(), quotas, types, config.leaseDuration(), config.clock().instant()));
    } catch (RuntimeException e) {
      failed = true;
      log.warn("claim failed ({}); retrying shortly", e.toString());
    }
    int[] got = new int[quota.length];
    for (Job job : claimed) {
      got[config.laneIndex(job.lane())]++;
    }
    lock.lock();
    try {
      for (int i = 0; i < quota.length; i++) {
        int unused = quota[i] - got[i];
        if (unused > 0) {
          running[i] -= unused;
          free += unused;
          scheduler.refund(i, unused);
          if (generation[i] == seen[i]) {
            maybeReady[i] = false;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    for (Job job : claimed) {
      events.transition(job, dev.vigil.job.JobState.READY);
      starter.accept(job, config.laneIndex(job.lane()));
    }
    if (failed) {
      pauseAfterStoreError();
    }
  }

  private void pauseAfterStoreError() {
    lock.lock();
    try {
      wake.await(STORE_ERROR_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
