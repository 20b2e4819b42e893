package dev.vigil.observe.duty;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link PeriodicDuty periodic duties} when they are due by its clock: on a background thread
 * after {@link #start()}, or on the caller's thread with {@link #runDueNow()} (tests move a
 * settable clock, then run what became due, without waiting). Every duty is due at once when the
 * runner is built, then at each multiple of its period. A leader-only duty that comes due while
 * this node does not lead is skipped until its next due time.
 *
 * <p>Duties run one at a time, in the order they were added; a failing duty is logged (its
 * exception's type and message, which never carry data of the jobs) and does not stop the others.
 */
public final class DutyRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DutyRunner.class);

  private final InstantSource clock;
  private final BooleanSupplier leader;
  private final Duration tick;
  private final List<Entry> entries = new ArrayList<>();
  private ScheduledExecutorService timer;

  private DutyRunner(Builder b) {
    this.clock = b.clock;
    this.leader = b.leader;
    this.tick = b.tick;
    Instant now = clock.instant();
    b.duties.forEach(d -> entries.add(new Entry(d, now)));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the background thread that runs the duties when due. */
  public synchronized DutyRunner start() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("vigil-duties").daemon().unstarted(r));
      long ms = tick.toMillis();
      timer.scheduleWithFixedDelay(this::runDueQuietly, 0, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Runs every duty that is due by the clock now, on this thread. */
  public void runDueNow() {
    run(false);
  }

  /** Runs every duty now, due or not (leader-only ones only on the leader), on this thread. */
  public void runAllNow() {
    run(true);
  }

  private void runDueQuietly() {
    try {
      run(false);
    } catch (RuntimeException e) {
      log.warn("running periodic duties failed ({}); will try again", e.toString());
    }
  }

  private synchronized void run(boolean all) {
    Instant now = clock.instant();
    Boolean leads = null;
    for (Entry e : entries) {
      if (!all && now.isBefore(e.due)) {
        continue;
      }
      e.due = next(now, e.duty.period());
      if (e.duty.leaderOnly()) {
        if (leads == null) {
          leads = leader.getAsBoolean();
        }
        if (!leads) {
          continue;
        }
      }
      try {
        e.duty.run(now);
      } catch (RuntimeException ex) {
        log.warn("duty {} failed ({}); it runs again at {}", e.duty.name(), ex.toString(), e.due);
      }
    }
  }

  private static Instant next(Instant now, Duration period) {
    long p = period.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), p) * p + p);
  }

  /** Stops the background thread, waiting for a duty in progress to end. Idempotent. */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
      timer = null;
    }
    if (t != null) {
      t.shutdown();
      try {
        if (!t.awaitTermination(10, TimeUnit.SECONDS)) {
          t.shutdownNow();
        }
      } catch (InterruptedException e) {
        t.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Entry {
    final PeriodicDuty duty;
    Instant due;

    Entry(PeriodicDuty duty, Instant due) {
      this.duty = duty;
      this.due = due;
    }
  }

  /** Builds a {@link DutyRunner}. */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private BooleanSupplier leader = () -> true;
    private Duration tick = Duration.ofMillis(200);
    private final List<PeriodicDuty> duties = new ArrayList<>();

    private Builder() {}

    /** The clock due times are read from; default the system's. */
    public Builder clock(InstantSource v) { clock = Objects.requireNonNull(v, "clock"); return this; }

    /** Whether this node leads now (e.g. {@code vigil::isLeader}); default always. */
    public Builder leader(BooleanSupplier v) { leader = Objects.requireNonNull(v, "leader"); return this; }

    /** How often the background thread looks for due duties; default 200 ms. */
    public Builder tick(Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("tick must be positive");
      }
      tick = v;
      return this;
    }

    public Builder duty(PeriodicDuty v) { duties.add(Objects.requireNonNull(v, "duty")); return this; }

    /** The runner, not started: call {@link DutyRunner#start()} for the background thread. */
    public DutyRunner build() {
      return new DutyRunner(this);
    }
  }
}
