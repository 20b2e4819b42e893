package dev.vigil.observe.errors;

import dev.vigil.Subscription;
import dev.vigil.Vigil;
import dev.vigil.job.JobError;
import dev.vigil.job.JobEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the failed attempts of an engine into error groups, off the engine's hot path, and lets
 * operators resolve, ignore and unresolve them.
 *
 * <p><b>Design note.</b> The grouper is a subscriber of the engine's event bus ({@link
 * Vigil#subscribe}): the engine publishes each ended attempt with its stored (redacted) error
 * ({@link JobEvent#error()}), and only offers it to the subscriber's bounded buffer, so grouping
 * can never slow the engine down; a grouper that falls far behind loses events, counted by the
 * bus ({@code vigil_event_bus_dropped_total}) and by {@code vigil_error_occurrences_dropped_total}.
 * Events that end a failed attempt go to a second bounded queue; one virtual thread takes whatever
 * has queued, fingerprints it ({@link Fingerprinter}: stack parsing stays off the engine's
 * threads too), and writes it to the {@link ErrorGroupStore} in one call, so a burst of failures
 * costs one transaction per batch, not one per failure. A batch the store refuses is retried a few
 * times with back-off, then dropped and logged.
 *
 * <p>After each batch, the groups it created or regressed are counted ({@code
 * vigil_new_error_groups_total}, {@code vigil_error_group_regressions_total}; not {@code
 * vigil_error_groups_created_total}: the Prometheus client reserves names ending in {@code _created}
 * for counters' creation times and would publish it as {@code vigil_error_groups_total}) and told to the
 * {@link ErrorGroupListener}s; resolving a group records how long it was unresolved ({@code
 * vigil_error_group_resolution_seconds}). None of these meters has a label.
 */
public final class ErrorGroups implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ErrorGroups.class);
  private static final int MAX_BATCH = 500;
  private static final int WRITE_TRIES = 4;

  private final ErrorGroupStore store;
  private final Fingerprinter fingerprinter;
  private final InstantSource clock;
  private final BlockingQueue<JobEvent> queue;
  private final CopyOnWriteArrayList<ErrorGroupListener> listeners = new CopyOnWriteArrayList<>();
  private final Meters meters;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private long accepted;
  private long done;
  private volatile boolean closing;
  private volatile Subscription subscription;

  private ErrorGroups(Builder b) {
    this.store = b.store;
    this.fingerprinter = b.fingerprinter;
    this.clock = b.clock;
    this.queue = new ArrayBlockingQueue<>(b.capacity);
    this.meters = new Meters(b.registry, dropped);
    b.listeners.forEach(listeners::add);
    this.thread = Thread.ofVirtual().name("vigil-error-groups").start(this::run);
  }

  /** A grouper writing to {@code store}. */
  public static Builder builder(ErrorGroupStore store) {
    return new Builder(store);
  }

  /** Subscribes to {@code vigil}'s job events: its failed attempts are grouped from now on. */
  public ErrorGroups attach(Vigil vigil) {
    if (subscription != null) {
      throw new IllegalStateException("already attached to an engine");
    }
    subscription = vigil.subscribe(this::accept);
    return this;
  }

  /**
   * Takes one job event: one that ends a failed attempt ({@link JobEvent#endsFailedAttempt()}) is
   * queued for grouping, any other is ignored. Never blocks: when the queue is full the event is
   * dropped and counted.
   */
  public void accept(JobEvent event) {
    if (closing || !event.endsFailedAttempt()) {
      return;
    }
    lock.lock();
    try {
      if (!queue.offer(event)) {
        dropped.incrementAndGet();
        return;
      }
      accepted++;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every event accepted so far has been written (or given up on). For tests and shutdown. */
  public void flush() {
    lock.lock();
    try {
      long target = accepted;
      while (done < target && thread.isAlive()) {
        written.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Tells {@code listener} of every group created or regressed from now on. */
  public void addListener(ErrorGroupListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** How this grouper fingerprints errors. */
  public Fingerprinter fingerprinter() {
    return fingerprinter;
  }

  /** The id of the group an attempt's error belongs to, for a job of {@code jobType}. */
  public String groupId(String jobType, JobError error) {
    return fingerprinter.groupId(jobType, error);
  }

  // ---- reads and status changes

  public Optional<ErrorGroup> get(String id) {
    return store.get(id, clock.instant());
  }

  public ErrorGroupPage find(ErrorGroupQuery query) {
    return store.find(query, clock.instant());
  }

  /** The group's last occurrences, newest first. */
  public List<ErrorGroupStore.StoredOccurrence> occurrences(String id, int limit) {
    return store.occurrences(id, limit);
  }

  /**
   * Resolves a group (a later occurrence regresses it), recording how long it was unresolved.
   *
   * @return the group, or empty when there is none
   */
  public Optional<ErrorGroup> resolve(String id, String by) {
    return change(id, ErrorStatus.RESOLVED, by);
  }

  /** Ignores a group: still counted, never regresses. */
  public Optional<ErrorGroup> ignore(String id, String by) {
    return change(id, ErrorStatus.IGNORED, by);
  }

  /** Sets a group back to unresolved, from now. */
  public Optional<ErrorGroup> unresolve(String id, String by) {
    return change(id, ErrorStatus.UNRESOLVED, by);
  }

  private Optional<ErrorGroup> change(String id, ErrorStatus status, String by) {
    return store.setStatus(id, status, by, clock.instant()).map(c -> {
      if (c.before().status() != ErrorStatus.RESOLVED && c.after().status() == ErrorStatus.RESOLVED) {
        meters.resolved(Duration.between(c.after().unresolvedSince(), c.after().resolvedAt()));
      }
      return c.after();
    });
  }

  /** Stops taking events, writes what is queued, and stops. The store is not closed. */
  @Override
  public void close() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
    flush();
    closing = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    meters.close();
  }

  // ---- the grouper thread

  private void run() {
    var batch = new ArrayList<JobEvent>(MAX_BATCH);
    while (!closing) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        write(batch);
      } catch (RuntimeException e) {
        log.warn("grouping {} failed attempts failed: {}", batch.size(), e.toString());
      }
      lock.lock();
      try {
        done += batch.size();
        written.signalAll();
      } finally {
        lock.unlock();
      }
      batch.clear();
    }
  }

  private void write(List<JobEvent> batch) {
    var occurrences = new ArrayList<ErrorOccurrence>(batch.size());
    for (JobEvent e : batch) {
      occurrences.add(
          new ErrorOccurrence(
              fingerprinter.fingerprint(e.type(), e.error()), e.jobId(), e.attempt(), e.type(), e.lane(),
              e.outcome().wireName(), e.error().message(), e.at()));
    }
    Duration backoff = Duration.ofMillis(100);
    for (int attempt = 1; ; attempt++) {
      try {
        List<ErrorGroupEvent> changes = store.record(occurrences, clock.instant());
        changes.forEach(this::announce);
        return;
      } catch (RuntimeException e) {
        if (attempt == WRITE_TRIES || closing) {
          dropped.addAndGet(batch.size());
          log.warn("gave up grouping {} failed attempts after {} tries: {}", batch.size(), attempt, e.toString());
          return;
        }
        try {
          Thread.sleep(backoff); // back-off before retrying a store that refused the batch
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  private void announce(ErrorGroupEvent event) {
    meters.changed(event.kind());
    for (ErrorGroupListener l : listeners) {
      try {
        l.onErrorGroupEvent(event);
      } catch (RuntimeException e) {
        log.warn("an error group listener failed on {}: {}", event.kind().wireName(), e.toString());
      }
    }
  }

  /** The grouper's meters; none without a registry. */
  private static final class Meters {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter created;
    private final Counter regressions;
    private final Timer resolution;

    Meters(MeterRegistry registry, AtomicLong dropped) {
      this.registry = registry;
      if (registry == null) {
        created = null;
        regressions = null;
        resolution = null;
        return;
      }
      created = keep(Counter.builder("vigil.new.error.groups")
          .description("Error groups created: fingerprints seen for the first time")
          .register(registry));
      regressions = keep(Counter.builder("vigil.error.group.regressions")
          .description("Resolved error groups that happened again")
          .register(registry));
      resolution = keep(Timer.builder("vigil.error.group.resolution")
          .description("Time from an error group becoming unresolved to its resolution")
          .serviceLevelObjectives(
              Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
              Duration.ofHours(4), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7),
              Duration.ofDays(30))
          .register(registry));
      keep(io.micrometer.core.instrument.FunctionCounter.builder("vigil.error.occurrences.dropped", dropped, AtomicLong::get)
          .description("Failed attempts not grouped: the grouper's queue was full or the store refused them")
          .register(registry));
    }

    private <M extends Meter> M keep(M meter) {
      meters.add(meter);
      return meter;
    }

    void changed(ErrorGroupEvent.Kind kind) {
      if (registry != null) {
        (kind == ErrorGroupEvent.Kind.NEW_ERROR_GROUP ? created : regressions).increment();
      }
    }

    void resolved(Duration unresolved) {
      if (registry != null) {
        resolution.record(unresolved.isNegative() ? Duration.ZERO : unresolved);
      }
    }

    void close() {
      if (registry != null) {
        meters.forEach(registry::remove);
      }
    }
  }

  /** Settings of an {@link ErrorGroups}. */
  public static final class Builder {
    private final ErrorGroupStore store;
    private Fingerprinter fingerprinter = Fingerprinter.defaults();
    private InstantSource clock = InstantSource.system();
    private MeterRegistry registry;
    private int capacity = 10_000;
    private final List<ErrorGroupListener> listeners = new ArrayList<>();

    private Builder(ErrorGroupStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** How errors are fingerprinted; default {@link Fingerprinter#defaults()}. */
    public Builder fingerprinter(Fingerprinter v) {
      fingerprinter = Objects.requireNonNull(v);
      return this;
    }

    /** The clock of status changes and of the 24-hour window; use the engine's. */
    public Builder clock(InstantSource v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    /** Where the grouper's meters go; default none. */
    public Builder meterRegistry(MeterRegistry v) {
      registry = Objects.requireNonNull(v);
      return this;
    }

    /** How many failed attempts may wait to be grouped; default 10,000. */
    public Builder capacity(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("capacity must be at least 1");
      }
      capacity = v;
      return this;
    }

    /** Tells {@code v} of every group created or regressed. */
    public Builder listener(ErrorGroupListener v) {
      listeners.add(Objects.requireNonNull(v));
      return this;
    }

    /** Starts the grouper's thread; {@link #attach} it to an engine, or {@link #accept} events. */
    public ErrorGroups start() {
      return new ErrorGroups(this);
    }
  }
}
