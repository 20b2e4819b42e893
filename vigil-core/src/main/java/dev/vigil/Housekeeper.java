package dev.vigil;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.store.JobStore;
import dev.vigil.store.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's periodic duties, all driven by the engine's clock: deadlines and lease renewals
 * of running jobs, give-back of prefetched jobs that waited too long, promotion of due scheduled
 * jobs, rescue of expired leases, recurring schedules, forgetting idle quota buckets, rereading
 * lane pauses, measuring the lanes' backpressure, releasing holds that ended, the circuit breakers'
 * cool-downs, and this node's heartbeat. A background thread runs the cheap duties every {@code
 * maintenanceInterval} and the costlier ones once per clock second; {@link #runAllNow()} runs them
 * all at once for tests that move a {@link ManualClock}.
 *
 * <p>Rescuing leases and firing schedules must happen on one node at a time: they run only while
 * this node holds the leader's term in the store ({@link JobStore#tryLead}), renewed every second
 * for {@link #LEADER_TERM}. When the leader dies, another node takes over once its term has
 * ended, so failover takes at most the term plus a second. Schedules could not fire twice even
 * without it (compare-and-set plus unique keys); the term keeps the work in one place.
 */
final class Housekeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
  private static final int BATCH = 1_000;
  private static final Duration SLOW_DUTIES = Duration.ofSeconds(1);
  static final Duration LEADER_TERM = Duration.ofSeconds(15);
  static final Duration NODE_HEARTBEAT = Duration.ofSeconds(5);
  static final Duration QUOTA_SWEEP = Duration.ofMinutes(1);

  private final EngineConfig config;
  private final JobStore store;
  private final Workers workers;
  private final Dispatcher dispatcher;
  private final Completions completions;
  private final ScheduleRunner schedules;
  private final LanePauses pauses;
  private final JobEvents events;
  private final Runnable pausesChanged;
  private final Consumer<Instant> measureLoad;
  private ScheduledExecutorService timer;
  private Instant lastSlowRun = Instant.MIN;
  private Instant lastNodeBeat = Instant.MIN;
  private Instant lastQuotaSweep = Instant.MIN;
  private final Instant startedAt;
  private volatile boolean leader;

  Housekeeper(
      EngineConfig config,
      JobStore store,
      Workers workers,
      Dispatcher dispatcher,
      Completions completions,
      ScheduleRunner schedules,
      LanePauses pauses,
      JobEvents events,
      Runnable pausesChanged,
      Consumer<Instant> measureLoad) {
    this.config = config;
    this.store = store;
    this.workers = workers;
    this.dispatcher = dispatcher;
    this.completions = completions;
    this.schedules = schedules;
    this.pauses = pauses;
    this.events = events;
    this.pausesChanged = pausesChanged;
    this.measureLoad = measureLoad;
    this.startedAt = config.clock().instant();
  }

  /** Whether this node held the leader's term at the last check. */
  boolean isLeader() {
    return leader;
  }

  void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("vigil-housekeeper").daemon().unstarted(r));
    long period = config.maintenanceInterval().toMillis();
    timer.scheduleWithFixedDelay(this::runPeriodic, period, period, TimeUnit.MILLISECONDS);
  }

  /** Runs every duty now. */
  synchronized void runAllNow() {
    Instant now = config.clock().instant();
    workers.tick(now);
    dispatcher.tick(now);
    promote(now);
    releaseHolds(now);
    slowDuties(now);
  }

  private synchronized void runPeriodic() {
    try {
      Instant now = config.clock().instant();
      workers.tick(now);
      dispatcher.tick(now);
      promote(now);
      releaseHolds(now);
      if (!now.isBefore(lastSlowRun.plus(SLOW_DUTIES))) {
        slowDuties(now);
      }
    } catch (RuntimeException e) {
      log.warn("housekeeping failed ({}); will try again", e.toString());
    }
  }

  private void slowDuties(Instant now) {
    lastSlowRun = now;
    // Leadership first, so that a node is never listed before it knows whether it leads.
    leader = store.tryLead(config.workerId(), now, LEADER_TERM);
    if (!now.isBefore(lastNodeBeat.plus(NODE_HEARTBEAT))) {
      lastNodeBeat = now;
      store.heartbeatNode(
          new NodeRecord(config.workerId(), NodeInfo.host(), NodeInfo.version(), startedAt, now, workers.executions().size()));
    }
    if (leader) {
      rescueExpiredLeases(now);
      schedules.fireDue(now);
      removeIdleQuotas(now);
    }
    if (config.keyLimits() == null && config.breakers().enabled()) {
      releaseAllDue(now);
    }
    refreshPauses();
    // after the pauses: a paused lane's wait does not count towards its backpressure
    measureLoad.accept(now);
  }

  /**
   * Makes held jobs whose hold ended claimable again (a rate limit refilled, a safety recheck), on
   * every tick when limits are configured. Without limits only circuit breakers hold jobs, for
   * seconds at least: their holds are released once a second ({@link #slowDuties}), on every node,
   * so a hold outlives neither its end nor the node whose breaker wrote it.
   */
  private void releaseHolds(Instant now) {
    if (config.keyLimits() != null) {
      releaseAllDue(now);
    }
  }

  private void releaseAllDue(Instant now) {
    while (store.releaseHolds(now, BATCH) == BATCH) {
      // more to release
    }
  }

  /** Forgets quota buckets that are full again (rows of a shared store), once a minute. */
  private void removeIdleQuotas(Instant now) {
    if (config.keyLimits() == null || now.isBefore(lastQuotaSweep.plus(QUOTA_SWEEP))) {
      return;
    }
    lastQuotaSweep = now;
    while (config.keyLimits().removeIdle(BATCH) == BATCH) {
      // more to remove
    }
  }

  private void promote(Instant now) {
    if (store.nextScheduledRunAt().filter(at -> !at.isAfter(now)).isEmpty()) {
      return;
    }
    List<Job> promoted;
    do {
      promoted = store.promoteDue(now, BATCH);
      promoted.forEach(j -> events.transition(j, JobState.SCHEDULED));
    } while (promoted.size() == BATCH);
  }

  private void rescueExpiredLeases(Instant now) {
    for (Job job : store.findExpiredLeases(now, BATCH)) {
      try {
        completions.write(
            completions
                .failure(
                    job,
                    AttemptOutcome.LEASE_EXPIRED,
                    JobError.of("LeaseExpired", "lease of worker " + job.leaseOwner() + " expired at " + job.leaseExpiresAt()),
                    true)
                .ifExpiredBefore(now));
        events.leaseRescued();
      } catch (LeaseLostException e) {
        // The worker finished, or renewed the lease, since it was read: nothing to rescue.
      }
    }
  }

  private void refreshPauses() {
    if (pauses.refresh()) {
      pausesChanged.run();
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
