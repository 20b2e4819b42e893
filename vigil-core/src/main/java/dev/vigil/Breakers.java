package dev.vigil;

import dev.vigil.Breaker.Verdict;
import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.limits.BreakerEvent;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.BreakerState;
import dev.vigil.limits.BreakerStatus;
import dev.vigil.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's circuit breakers ({@code docs/breakers.md}): one per job type ({@code
 * type:<type>}) and one per limit key that {@code limits:} names exactly, made on the first
 * attempt that ends.
 *
 * <p>Attempts reach them from {@link Completions}, where every path decides how an attempt ended
 * (in-process, remote, rescued). A job may start only if every breaker of its type and limit keys
 * lets it ({@link #admit}, asked by the claim's gate); an open breaker's hold is written to the
 * store, so a job it holds is out of every node's reach until the hold ends. When a breaker
 * closes, every job it holds is released at once; when its cool-down ends, its holds end with it
 * and the next claim that meets one of its jobs takes it as the probe.
 *
 * <p>Each node counts the attempts it sees (its window is its own), so on a cluster each node's
 * breaker opens on the failures that node saw. At most {@link #MAX_BREAKERS} breakers are kept;
 * past that, the closed ones that have not been used the longest are forgotten (an open breaker
 * never is). Thread-safe.
 */
final class Breakers {
  private static final Logger log = LoggerFactory.getLogger(Breakers.class);

  /** The most breakers kept. */
  static final int MAX_BREAKERS = 10_000;

  /**
   * How long a probe may be reserved before the housekeeper checks that its job still runs: a
   * probe given back (prefetch, an undelivered claim) or whose claim rolled back must not keep the
   * breaker half-open for ever.
   */
  static final Duration PROBE_GRACE = Duration.ofSeconds(10);

  private final BreakerSettings settings;
  private final Set<String> limitKeys;
  private final JobStore store;
  private final InstantSource clock;
  private final BreakerMeters meters;
  private final Consumer<BreakerEvent> changes;
  private final ConcurrentHashMap<String, Breaker> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger notClosed = new AtomicInteger();

  /**
   * @param limitKeys the limit keys that get a breaker: those {@code limits:} names exactly
   * @param changes told of every change of state, after it is logged and counted
   */
  Breakers(
      BreakerSettings settings,
      Set<String> limitKeys,
      JobStore store,
      InstantSource clock,
      BreakerMeters meters,
      Consumer<BreakerEvent> changes) {
    this.settings = settings;
    this.limitKeys = Set.copyOf(limitKeys);
    this.store = store;
    this.clock = clock;
    this.meters = meters;
    this.changes = changes;
  }

  /** Whether any breaker is open or half-open: only then does a claim need to ask. */
  boolean anyNotClosed() {
    return notClosed.get() > 0;
  }

  /** Whether a breaker of {@code job}'s type or limit keys is open or half-open. */
  boolean watches(Job job) {
    if (!anyNotClosed()) {
      return false;
    }
    for (String key : keysOf(job)) {
      Breaker b = byKey.get(key);
      if (b != null && b.state() != BreakerState.CLOSED) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records how an attempt of {@code job} ended, in each of its breakers. A breaker that closes
   * releases the jobs it holds (the store's held jobs of its key).
   */
  void ended(Job job, Verdict verdict) {
    if (!settings.enabled()) {
      return;
    }
    Instant now = millis(clock.instant());
    for (String key : keysOf(job)) {
      Breaker b = byKey.get(key);
      if (b == null) {
        b = create(key, key.equals(Hold.typeKey(job.type())) ? job.type() : null, now);
      }
      BreakerEvent e = b.ended(job.id(), verdict, now);
      if (e != null) {
        report(e);
        if (e.to() == BreakerState.CLOSED) {
          release(key);
        }
      }
    }
  }

  /**
   * Whether {@code job} may start now, by every breaker of its type and limit keys: null when it
   * may (reserving it as the probe of each half-open breaker), else the hold of the first that
   * refuses. Asked inside a claim: nothing here calls the store.
   */
  Hold admit(Job job, Instant at) {
    if (!anyNotClosed()) {
      return null;
    }
    Instant now = millis(at);
    List<BreakerEvent> moved = new ArrayList<>(1);
    List<Breaker> reserved = new ArrayList<>(1);
    Hold hold = null;
    for (String key : keysOf(job)) {
      Breaker b = byKey.get(key);
      if (b == null || b.state() == BreakerState.CLOSED) {
        continue;
      }
      hold = b.admit(job.id(), now, moved);
      if (hold != null) {
        break;
      }
      reserved.add(b);
    }
    if (hold != null) {
      reserved.forEach(b -> b.notStarted(job.id()));
    }
    moved.forEach(this::report);
    return hold;
  }

  /** Whether {@code job} is the probe of one of its breakers (it was just admitted as such). */
  boolean probing(Job job) {
    for (String key : keysOf(job)) {
      Breaker b = byKey.get(key);
      if (b != null && b.isProbe(job.id())) {
        return true;
      }
    }
    return false;
  }

  /** {@code job} was admitted but did not start (another limit held it): it is nobody's probe. */
  void notStarted(Job job) {
    for (String key : keysOf(job)) {
      Breaker b = byKey.get(key);
      if (b != null) {
        b.notStarted(job.id());
      }
    }
  }

  /**
   * The housekeeper's duty, once a second: moves breakers whose cool-down passed to half-open, and
   * frees the probe of a half-open breaker whose job no longer runs without a verdict having
   * reached this node.
   */
  void tick(Instant at) {
    if (!anyNotClosed()) {
      return;
    }
    Instant now = millis(at);
    for (Breaker b : byKey.values()) {
      if (b.state() == BreakerState.CLOSED) {
        continue;
      }
      BreakerEvent e = b.tick(now);
      if (e != null) {
        report(e);
      }
      String probe = b.probeOlderThan(PROBE_GRACE, now);
      if (probe != null && store.get(probe).map(Job::state).orElse(null) != JobState.RUNNING) {
        b.notStarted(probe);
      }
    }
  }

  /** Every breaker, by key. */
  List<BreakerStatus> status() {
    Instant now = millis(clock.instant());
    List<BreakerStatus> out = new ArrayList<>(byKey.size());
    for (Breaker b : byKey.values()) {
      BreakerEvent e = b.tick(now);
      if (e != null) {
        report(e);
      }
      out.add(b.status(now));
    }
    out.sort(Comparator.comparing(BreakerStatus::key));
    return out;
  }

  /** Breakers keep time to the millisecond, as the store keeps a hold's end. */
  private static Instant millis(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The breakers of {@code job}: its type's, then its limit keys' that have one. */
  private Set<String> keysOf(Job job) {
    if (limitKeys.isEmpty() || job.limitKeys().isEmpty()) {
      return Set.of(Hold.typeKey(job.type()));
    }
    Set<String> keys = new LinkedHashSet<>(2);
    keys.add(Hold.typeKey(job.type()));
    for (String k : job.limitKeys()) {
      if (limitKeys.contains(k)) {
        keys.add(k);
      }
    }
    return keys;
  }

  private Breaker create(String key, String type, Instant now) {
    if (byKey.size() >= MAX_BREAKERS) {
      forgetLeastUsed();
    }
    Breaker made = byKey.computeIfAbsent(key, k -> new Breaker(k, meters.label(k, type), settings, now));
    String label = made.label();
    meters.gauge(label, this, label.equals(key) ? x -> x.stateOf(key) : x -> x.mostOpen(label));
    return made;
  }

  /** Forgets the tenth of the breakers that are closed and were used the longest ago. */
  private synchronized void forgetLeastUsed() {
    if (byKey.size() < MAX_BREAKERS) {
      return;
    }
    byKey.values().stream()
        .filter(b -> b.state() == BreakerState.CLOSED)
        .sorted(Comparator.comparingLong(Breaker::lastUsedMillis))
        .limit(MAX_BREAKERS / 10)
        .map(Breaker::key)
        .toList()
        .forEach(k -> byKey.computeIfPresent(k, (key, b) -> b.state() == BreakerState.CLOSED ? null : b));
  }

  private double stateOf(String key) {
    Breaker b = byKey.get(key);
    return b == null ? 0 : b.state().value();
  }

  private double mostOpen(String label) {
    int max = 0;
    for (Breaker b : byKey.values()) {
      if (b.label().equals(label)) {
        max = Math.max(max, b.state().value());
      }
    }
    return max;
  }

  private void report(BreakerEvent e) {
    if (e.from() == BreakerState.CLOSED) {
      notClosed.incrementAndGet();
    } else if (e.to() == BreakerState.CLOSED) {
      notClosed.decrementAndGet();
    }
    if (e.to() == BreakerState.OPEN) {
      log.warn(
          "breaker {} opened (was {}): {} % of its latest attempts failed; its jobs are held until {}",
          e.key(), e.from().wireName(), Math.round(e.failureRatio() * 100), e.nextProbeAt());
    } else {
      log.info("breaker {} is {} (was {})", e.key(), e.to().wireName(), e.from().wireName());
    }
    Breaker b = byKey.get(e.key());
    if (b != null) {
      meters.changed(b.label(), e.to());
    }
    changes.accept(e);
  }

  /** Releases every job the closed breaker holds; a failure only delays them to their hold's end. */
  private void release(String key) {
    try {
      store.releaseHeld(Map.of(key, Integer.MAX_VALUE));
    } catch (RuntimeException ex) {
      log.warn("releasing the jobs held by breaker {} failed ({}); they start when their hold ends", key, ex.toString());
    }
  }
}
