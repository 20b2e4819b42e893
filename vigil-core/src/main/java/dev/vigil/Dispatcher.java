package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills this node's worker slots with claimed jobs.
 *
 * <p>Design: slot accounting lives under one lock. Whenever slots come free or lanes may have
 * work, {@link #planLocked} asks the {@link LaneScheduler} how to share the free slots among lanes
 * that may have work and reserves them. A slot planned for a lane with prefetched jobs starts one
 * at once, on the thread that freed the slot; a slot planned for a lane without is left to the
 * loop thread, which claims the jobs for all such slots in a single store round trip and starts
 * them, giving back the slots it found no job for. A lane that yields fewer jobs than asked is
 * marked empty until a signal says otherwise; signals come from the store after a commit (enqueue,
 * promotion, retry), from a freed slot, or from a resume. Each lane carries a generation number so
 * that a signal arriving while a claim is in flight is never lost; a claim that fails marks no
 * lane empty. With nothing to do the loop sleeps on a condition; a slow safety poll ({@link
 * #SAFETY_POLL}), on a timer whatever other signals arrive, covers signals a shared store could
 * miss.
 *
 * <p><b>Prefetch.</b> With short jobs a claim per handful of freed slots makes the store's round
 * trip the bound, so a claim may also lease jobs ahead of free slots, held in a per-lane buffer
 * and started as slots of their lane come free. A lane is prefetched for only up to the number of
 * its jobs that ended in the last {@link LaneTurnover#WINDOW} (never for lanes of long jobs), and
 * all buffers together hold at most {@code maxPrefetch} jobs. Prefetched jobs take no slot: the
 * scheduler still decides every start, so lane weights, reserved slots and caps hold as before,
 * and a high lane's job never waits behind low-lane jobs that were prefetched. A prefetched job's
 * lease runs from its claim (its renewals are timed from there) and its {@code started_at} is the
 * claim's time, at most about one window before its handler begins. Its lease is not renewed
 * while it waits: one still waiting when a running job's lease would be renewed is given back
 * ({@link #tick}, {@link JobStore#unclaim}: no attempt spent), and one found stale is never
 * started. Prefetched jobs of a paused lane still start (they were leased before the pause); a
 * cancelled one, and at shutdown all unstarted ones, are given back.
 *
 * <p>A lane never reserves all of a node's slots: on a node with fewer slots than a lane's {@code
 * reserved + 1}, the lane keeps one slot it may use, so every lane can run somewhere.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final Duration SAFETY_POLL = Duration.ofSeconds(1);
  private static final Duration STORE_ERROR_BACKOFF = Duration.ofMillis(250);

  private final EngineConfig config;
  private final JobStore store;
  private final ClaimGates gates;
  private final LaneRunTimes runTimes;
  private final LaneScheduler scheduler;
  private final LanePauses pauses;
  private final Set<String> types;
  private final BiConsumer<Job, Integer> starter;
  private final Function<List<Job>, Map<String, JobState>> giveBack;
  private final JobEvents events;
  private final int maxPrefetch;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final int[] running;
  private final int[] toClaim;
  private final ArrayDeque<Job>[] prefetched;
  private final LaneTurnover turnover;
  private final boolean[] maybeReady;
  private final long[] generation;
  private final List<Job> stale = new ArrayList<>();
  private long nextSafetyPoll;
  private int free;
  private volatile boolean stopping;
  private volatile long loopTurns;
  private volatile long lastTurnMillis = -1;
  private Thread thread;

  /**
   * @param starter starts a job in a slot already reserved for its lane
   * @param giveBack undoes the claims of prefetched jobs that will not start here, answering the
   *     state each is in now ({@link JobStore#unclaim})
   * @param maxPrefetch jobs all lanes together may hold claimed ahead of free slots; 0 for none
   * @param gates what each claim asks about the jobs it leases (limits, breakers)
   */
  Dispatcher(
      EngineConfig config,
      JobStore store,
      ClaimGates gates,
      LanePauses pauses,
      Set<String> types,
      JobEvents events,
      BiConsumer<Job, Integer> starter,
      Function<List<Job>, Map<String, JobState>> giveBack,
      int maxPrefetch) {
    this.config = config;
    this.store = store;
    this.gates = gates;
    this.pauses = pauses;
    this.types = Set.copyOf(types);
    this.starter = starter;
    this.giveBack = giveBack;
    this.events = events;
    this.maxPrefetch = maxPrefetch;
    this.runTimes = new LaneRunTimes(config.lanes().size());
    this.scheduler = new LaneScheduler(config.lanes(), runTimes);
    int lanes = config.lanes().size();
    this.running = new int[lanes];
    this.toClaim = new int[lanes];
    this.maybeReady = new boolean[lanes];
    this.generation = new long[lanes];
    this.turnover = new LaneTurnover(lanes, System::nanoTime);
    @SuppressWarnings("unchecked")
    ArrayDeque<Job>[] buffers = new ArrayDeque[lanes];
    for (int i = 0; i < lanes; i++) {
      buffers[i] = new ArrayDeque<>();
    }
    this.prefetched = buffers;
    Arrays.fill(maybeReady, true);
    this.nextSafetyPoll = System.nanoTime() + SAFETY_POLL.toNanos();
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

  /**
   * A worker slot of the given lane came free after its job ran this long; a prefetched job may
   * take it at once.
   */
  void slotFreed(int lane, Duration ran) {
    List<Job> start;
    runTimes.ended(lane, ran);
    lock.lock();
    try {
      running[lane]--;
      free++;
      turnover.ended(lane);
      start = planLocked();
      wake.signal();
    } finally {
      lock.unlock();
    }
    startAll(start);
  }

  /** Something changed for every lane (a resume, a safety poll): look again. */
  void wakeAll() {
    lock.lock();
    try {
      for (int i = 0; i < maybeReady.length; i++) {
        maybeReady[i] = true;
        generation[i]++;
      }
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back prefetched jobs that waited too long to start: a prefetched job's lease is never
   * renewed, so one that has not started by the time its renewal would be due ({@link #fresh})
   * goes back to the queue, as do those {@link #planLocked} found stale. Called by the
   * housekeeper every maintenance interval.
   */
  void tick(Instant now) {
    List<Job> back;
    lock.lock();
    try {
      back = new ArrayList<>(stale);
      stale.clear();
      for (ArrayDeque<Job> buffer : prefetched) {
        buffer.removeIf(job -> !fresh(job, now) && back.add(job));
      }
    } finally {
      lock.unlock();
    }
    giveBack(back);
  }

  /**
   * Takes a job out of the prefetch buffer because its cancellation was requested, and gives it
   * back, which ends it cancelled without running it.
   *
   * @return false when the job is not waiting here (it runs, runs elsewhere, or is starting)
   */
  boolean cancelPrefetched(String jobId) {
    List<Job> taken = new ArrayList<>(1);
    lock.lock();
    try {
      for (ArrayDeque<Job> buffer : prefetched) {
        buffer.removeIf(job -> job.id().equals(jobId) && taken.add(job));
      }
    } finally {
      lock.unlock();
    }
    giveBack(taken);
    return !taken.isEmpty();
  }

  /** Stops claiming and gives back prefetched jobs; running jobs are not touched. */
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
    giveBackPrefetched();
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

  /** Jobs claimed ahead of free slots and not started yet, all lanes together. */
  int prefetched() {
    lock.lock();
    try {
      return prefetchedLocked();
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
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (!stopping) {
      turned();
      List<Job> start = new ArrayList<>();
      int[] slots;
      int[] ahead;
      long[] seen;
      lock.lock();
      try {
        ahead = awaitWork(start);
        if (ahead == null) {
          return;
        }
        slots = toClaim.clone();
        Arrays.fill(toClaim, 0);
        seen = generation.clone();
      } finally {
        lock.unlock();
      }
      startAll(start);
      if (sum(slots) + sum(ahead) > 0) {
        claimAndStart(slots, ahead, seen);
      }
    }
  }

  private void turned() {
    loopTurns++;
    lastTurnMillis = config.clock().millis();
  }

  /**
   * Plans free slots and waits until there is something to start or claim; returns the jobs to
   * claim ahead per lane (slots to claim for are left in {@link #toClaim}), or null when stopping.
   * Called under the lock.
   */
  private int[] awaitWork(List<Job> start) {
    while (!stopping) {
      long untilPoll = safetyPollDue();
      start.addAll(planLocked());
      int[] ahead = prefetchWanted();
      if (!start.isEmpty() || sum(toClaim) + sum(ahead) > 0) {
        return ahead;
      }
      try {
        wake.awaitNanos(untilPoll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      turned();
    }
    return null;
  }

  /**
   * Runs the safety poll when its time has come, whatever signals arrived meanwhile: every lane
   * may have ready work again (a shared store may have missed telling us). Returns the time left
   * until the next poll, in nanoseconds. Called under the lock.
   */
  private long safetyPollDue() {
    long now = System.nanoTime();
    if (now - nextSafetyPoll >= 0) {
      Arrays.fill(maybeReady, true);
      nextSafetyPoll = now + SAFETY_POLL.toNanos();
    }
    return nextSafetyPoll - now;
  }

  /**
   * Shares the free slots and reserves them: prefetched jobs that get a slot are returned to be
   * started, the other planned slots are added to {@link #toClaim}. Called under the lock.
   */
  private List<Job> planLocked() {
    if (stopping || free == 0) {
      return List.of();
    }
    int[] quota = scheduler.plan(free, view());
    List<Job> start = new ArrayList<>();
    Instant now = config.clock().instant();
    for (int i = 0; i < quota.length; i++) {
      if (quota[i] == 0) {
        continue;
      }
      running[i] += quota[i];
      free -= quota[i];
      int fromBuffer = 0;
      while (fromBuffer < quota[i] && !prefetched[i].isEmpty()) {
        Job job = prefetched[i].poll();
        if (fresh(job, now)) {
          start.add(job);
          fromBuffer++;
        } else {
          stale.add(job);
        }
      }
      toClaim[i] += quota[i] - fromBuffer;
    }
    return start;
  }

  /**
   * Whether a prefetched job may still start: its lease, never renewed while it waits, is not yet
   * due for the renewal a running job would get a third of the way through.
   */
  private boolean fresh(Job job, Instant now) {
    Duration lease = config.leaseDuration();
    return now.isBefore(job.leaseExpiresAt().minus(lease.minus(lease.dividedBy(3))));
  }

  /**
   * Jobs to claim ahead per lane: a lane that may have ready work is topped up to its recent
   * turnover, within what all buffers may hold. Without slots to claim for, a lane is topped up
   * only once its buffer is half empty, so prefetching alone never makes a claim per job.
   * Called under the lock.
   */
  private int[] prefetchWanted() {
    int[] ahead = new int[prefetched.length];
    int room = maxPrefetch - prefetchedLocked();
    if (room <= 0) {
      return ahead;
    }
    boolean claiming = sum(toClaim) > 0;
    for (int i = 0; i < ahead.length && room > 0; i++) {
      if (!maybeReady[i] || pauses.isPaused(i)) {
        continue;
      }
      int target = Math.min(turnover.recent(i), maxPrefetch);
      int held = prefetched[i].size();
      if (target > held && (claiming || held <= target / 2)) {
        ahead[i] = Math.min(target - held, room);
        room -= ahead[i];
      }
    }
    return ahead;
  }

  private LaneScheduler.LaneView view() {
    return new LaneScheduler.LaneView() {
      @Override
      public boolean hasWork(int lane) {
        return maybeReady[lane] || !prefetched[lane].isEmpty();
      }

      @Override
      public boolean paused(int lane) {
        return prefetched[lane].isEmpty() && pauses.isPaused(lane);
      }

      @Override
      public int running(int lane) {
        return running[lane];
      }

      @Override
      public int reserved(int lane, int configured) {
        return Math.min(configured, config.workers() - 1);
      }

      @Override
      public int available(int lane) {
        return maybeReady[lane] && !pauses.isPaused(lane)
            ? Integer.MAX_VALUE
            : prefetched[lane].size();
      }
    };
  }

  private void claimAndStart(int[] slots, int[] ahead, long[] seen) {
    var quotas = new ArrayList<LaneQuota>();
    for (int i = 0; i < slots.length; i++) {
      int n = slots[i] + ahead[i];
      if (n > 0) {
        var lane = config.lanes().get(i);
        quotas.add(new LaneQuota(lane.name(), n, lane.maxConcurrency()));
      }
    }
    List<Job> claimed = List.of();
    boolean failed = false;
    try {
      claimed =
          store.claim(
              new ClaimRequest(
                  config.workerId(), quotas, types, config.leaseDuration(), config.clock().instant(),
                  gates.forClaim()));
    } catch (RuntimeException e) {
      failed = true;
      log.warn("claim failed ({}); retrying shortly", e.toString());
    }
    List<List<Job>> byLane = new ArrayList<>();
    for (int i = 0; i < slots.length; i++) {
      byLane.add(new ArrayList<>());
    }
    for (Job job : claimed) {
      byLane.get(config.laneIndex(job.lane())).add(job);
    }
    List<Job> start = new ArrayList<>();
    lock.lock();
    try {
      for (int i = 0; i < slots.length; i++) {
        List<Job> got = byLane.get(i);
        int forSlots = Math.min(got.size(), slots[i]);
        start.addAll(got.subList(0, forSlots));
        prefetched[i].addAll(got.subList(forSlots, got.size()));
        int unused = slots[i] - forSlots;
        if (unused > 0) {
          running[i] -= unused;
          free += unused;
          scheduler.refund(i, unused);
        }
        if (!failed && got.size() < slots[i] + ahead[i] && generation[i] == seen[i]) {
          maybeReady[i] = false;
        }
      }
      start.addAll(planLocked());
    } finally {
      lock.unlock();
    }
    startAll(start);
    if (failed) {
      pauseAfterStoreError();
    }
  }

  private void startAll(List<Job> jobs) {
    for (Job job : jobs) {
      events.transition(job, JobState.READY);
      starter.accept(job, config.laneIndex(job.lane()));
    }
  }

  private void giveBackPrefetched() {
    List<Job> unstarted = new ArrayList<>();
    lock.lock();
    try {
      for (ArrayDeque<Job> buffer : prefetched) {
        unstarted.addAll(buffer);
        buffer.clear();
      }
      unstarted.addAll(stale);
      stale.clear();
    } finally {
      lock.unlock();
    }
    giveBack(unstarted);
  }

  /**
   * Undoes the claims of prefetched jobs that will not start here. They never left {@code ready}
   * as far as events go (a prefetched job's start is published when it starts), so only those
   * that end cancelled are published.
   */
  private void giveBack(List<Job> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    try {
      Map<String, JobState> after = giveBack.apply(jobs);
      for (Job job : jobs) {
        if (after.get(job.id()) == JobState.CANCELLED) {
          events.transition(job.toBuilder().state(JobState.CANCELLED).build(), JobState.READY);
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not give back {} prefetched jobs ({}); their leases will expire", jobs.size(), e.toString());
    }
  }

  /** Prefetched jobs of all lanes. Called under the lock. */
  private int prefetchedLocked() {
    int n = 0;
    for (ArrayDeque<Job> buffer : prefetched) {
      n += buffer.size();
    }
    return n;
  }

  private static int sum(int[] perLane) {
    return Arrays.stream(perLane).sum();
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
