package dev.vigil.limits;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.store.ClaimGate;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits per key of one node: decides, inside each claim, whether a keyed job may start
 * ({@link ClaimGate}). A job is held, not failed, when its concurrency key already runs as many
 * jobs as its rule allows, or when one of its limit keys has no start (rate) or not enough units
 * (its {@code cost}) left in the window; the hold says until when, so it is released when the
 * quota allows.
 *
 * <p>Quotas are Bucket4j token buckets, refilled greedily over their window, one pair (starts,
 * units) per key; a prefix rule ({@code tenant:*}) gives each matching key its own. A job's limit
 * keys are drawn from together: if one refuses, what the others gave is put back. At most {@link
 * #MAX_KEYS} keys are kept (the least recently used go first; a key seen again starts full).
 *
 * <p>Thread-safe.
 */
public final class KeyLimits implements ClaimGate {
  /** The most keys whose quotas are kept. */
  public static final int MAX_KEYS = 100_000;

  /**
   * How long a job held by a full concurrency key waits at most before it is looked at again. It is
   * released earlier, as soon as a job of its key ends.
   */
  public static final Duration CONCURRENCY_RECHECK = Duration.ofMinutes(1);

  private final List<LimitRule> rules;
  private final TimeMeter meter;
  private final Map<String, Quota> quotas = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Quota> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /** The quota of one key: its rule and its buckets (null when the rule does not limit that part). */
  private record Quota(LimitRule rule, Bucket starts, Bucket units) {}

  /** What one key's limits allow now, for {@code GET /api/v1/limits}. */
  public record KeyStatus(String key, LimitRule rule, Long startsAvailable, Long unitsAvailable) {}

  public KeyLimits(List<LimitRule> rules, InstantSource clock) {
    this.rules = List.copyOf(rules);
    Objects.requireNonNull(clock, "clock");
    this.meter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  /** The rules, as configured. */
  public List<LimitRule> rules() {
    return rules;
  }

  /** The rule for {@code key}: its own, else the longest prefix that matches. */
  public Optional<LimitRule> ruleFor(String key) {
    return rules.stream()
        .filter(r -> r.matches(key))
        .max(Comparator.comparing((LimitRule r) -> !r.isPrefix()).thenComparingInt(r -> r.key().length()));
  }

  @Override
  public Hold admit(Job job, int runningOfKey, Instant now) {
    String ck = job.concurrencyKey();
    if (ck != null) {
      Integer cap = ruleFor(ck).map(LimitRule::concurrency).orElse(null);
      if (cap != null && runningOfKey >= cap) {
        return new Hold(Hold.LIMIT, ck, now.plus(CONCURRENCY_RECHECK));
      }
    }
    synchronized (quotas) {
      List<Runnable> refunds = new ArrayList<>();
      for (String key : job.limitKeys()) {
        Quota q = quota(key);
        if (q == null) {
          continue;
        }
        Duration wait = take(q.starts(), 1, refunds);
        if (wait == null && job.cost() > 0) {
          wait = take(q.units(), Math.min(job.cost(), q.rule().units() == null ? job.cost() : q.rule().units()), refunds);
        }
        if (wait != null) {
          refunds.forEach(Runnable::run);
          return new Hold(Hold.LIMIT, key, now.plus(wait).plusMillis(1));
        }
      }
    }
    return null;
  }

  /** Each key with a rate or units limit seen so far (or configured exactly), with what is left. */
  public List<KeyStatus> status() {
    List<KeyStatus> out = new ArrayList<>();
    synchronized (quotas) {
      for (LimitRule r : rules) {
        if (!r.isPrefix()) {
          quota(r.key());
        }
      }
      quotas.forEach((key, q) -> out.add(new KeyStatus(
          key, q.rule(),
          q.starts() == null ? null : q.starts().getAvailableTokens(),
          q.units() == null ? null : q.units().getAvailableTokens())));
    }
    out.sort(Comparator.comparing(KeyStatus::key));
    return out;
  }

  /** Draws {@code n} from {@code bucket}; null when drawn (or nothing limits), else how long until it could be. */
  private static Duration take(Bucket bucket, long n, List<Runnable> refunds) {
    if (bucket == null) {
      return null;
    }
    ConsumptionProbe p = bucket.tryConsumeAndReturnRemaining(n);
    if (p.isConsumed()) {
      refunds.add(() -> bucket.addTokens(n));
      return null;
    }
    return Duration.ofNanos(Math.max(p.getNanosToWaitForRefill(), 1_000_000));
  }

  private Quota quota(String key) {
    Quota q = quotas.get(key);
    if (q != null) {
      return q;
    }
    LimitRule rule = ruleFor(key).orElse(null);
    if (rule == null || (rule.rate() == null && rule.units() == null)) {
      return null;
    }
    q = new Quota(rule, bucket(rule.rate() == null ? null : rule.rate().longValue(), rule.window()),
        bucket(rule.units(), rule.window()));
    quotas.put(key, q);
    return q;
  }

  private Bucket bucket(Long capacity, Duration window) {
    if (capacity == null) {
      return null;
    }
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
        .withCustomTimePrecision(meter)
        .build();
  }
}
