package dev.vigil.limits;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.limits.spi.QuotaBuckets;
import dev.vigil.store.ClaimGate;
import dev.vigil.store.StoreException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketExceptions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The limits per key: decides, inside each claim, whether a keyed job may start ({@link
 * ClaimGate}). A job is held, not failed, when its concurrency key already runs as many jobs as
 * its rule allows, or when one of its limit keys has no start (rate) or not enough units (its
 * {@code cost}) left in the window; the hold says until when, so it is released when the quota
 * allows.
 *
 * <p>Quotas are Bucket4j token buckets, refilled greedily over their window, one pair (starts,
 * units) per key; a prefix rule ({@code tenant:*}) gives each matching key its own. A job's limit
 * keys are drawn from together: if one refuses, what the others gave is put back. Where the
 * buckets live is the {@link QuotaBuckets}' business: in this process by default (a key seen
 * again after the least recently used of {@link #MAX_KEYS} keys were forgotten starts full), or in
 * the database of a shared store, where every node draws from the same quota.
 *
 * <p>A claim draws from each bucket once for all its jobs and gives back what the held ones did
 * not use ({@link ClaimDraws}), so a claim of 50 jobs of one key costs one call to that key's
 * bucket, not 50: with shared buckets each call is a round trip.
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

  private static final String STARTS = "starts";
  private static final String UNITS = "units";

  private final List<LimitRule> rules;
  private final QuotaBuckets buckets;
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

  /** Limits whose quotas live in this process. */
  public KeyLimits(List<LimitRule> rules, InstantSource clock) {
    this(rules, clock, null);
  }

  /**
   * Limits whose quotas live in {@code buckets}.
   *
   * @param buckets where the quotas live; null for this process
   */
  public KeyLimits(List<LimitRule> rules, InstantSource clock, QuotaBuckets buckets) {
    this.rules = List.copyOf(rules);
    Objects.requireNonNull(clock, "clock");
    this.buckets = buckets == null ? new LocalQuotaBuckets(clock) : buckets;
  }

  /** The rules, as configured. */
  public List<LimitRule> rules() {
    return rules;
  }

  /** Whether the quotas are shared with every node on the same store. */
  public boolean shared() {
    return buckets.shared();
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
    return admitAll(List.of(job), ck == null ? Map.of() : Map.of(ck, runningOfKey), now).getFirst();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Draws each bucket once for the jobs that may start (those their concurrency key leaves
   * room for), then gives each job its share in claim order, and gives back what is left.
   *
   * @throws StoreException when shared buckets cannot be reached
   */
  @Override
  public List<Hold> admitAll(List<Job> jobs, Map<String, Integer> running, Instant now) {
    List<List<ClaimDraws.Part>> parts = new ArrayList<>(jobs.size());
    jobs.forEach(j -> parts.add(parts(j)));
    List<Hold> holds = new ArrayList<>(jobs.size());
    try (ClaimDraws draws = new ClaimDraws()) {
      Map<String, Integer> hopeful = new HashMap<>(running);
      for (int i = 0; i < jobs.size(); i++) {
        Job j = jobs.get(i);
        if (hasRoom(j, hopeful)) {
          draws.want(parts.get(i));
          if (j.concurrencyKey() != null) {
            hopeful.merge(j.concurrencyKey(), 1, Integer::sum);
          }
        }
      }
      draws.draw();
      Map<String, Integer> counts = new HashMap<>(running);
      for (int i = 0; i < jobs.size(); i++) {
        holds.add(decide(jobs.get(i), parts.get(i), counts, draws, now));
      }
    } catch (BucketExceptions.BucketExecutionException e) {
      throw new StoreException("the quotas of limits per key cannot be read: " + e.getMessage(), e);
    }
    return holds;
  }

  /** Each key with a rate or units limit seen so far (or configured exactly), with what is left. */
  public List<KeyStatus> status() {
    Map<String, Long> left = buckets.shared() ? snapshot() : Map.of();
    Map<String, Quota> known = new TreeMap<>();
    synchronized (quotas) {
      for (LimitRule r : rules) {
        if (!r.isPrefix()) {
          quota(r.key());
        }
      }
      for (String name : left.keySet()) {
        String key = keyOf(name);
        if (key != null) {
          quota(key);
        }
      }
      known.putAll(quotas);
    }
    List<KeyStatus> out = new ArrayList<>();
    known.forEach((key, q) -> out.add(new KeyStatus(
        key, q.rule(), available(left, STARTS, key, q.rule(), q.starts()), available(left, UNITS, key, q.rule(), q.units()))));
    return out;
  }

  /**
   * Forgets up to {@code max} buckets that are full again and have been idle for a while (a shared
   * store keeps a row per bucket); returns how many.
   */
  public int removeIdle(int max) {
    return buckets.removeIdle(max);
  }

  private Hold decide(Job job, List<ClaimDraws.Part> parts, Map<String, Integer> counts, ClaimDraws draws, Instant now) {
    String ck = job.concurrencyKey();
    if (!hasRoom(job, counts)) {
      return new Hold(Hold.LIMIT, ck, now.plus(CONCURRENCY_RECHECK));
    }
    ClaimDraws.Refusal refused = draws.take(parts);
    if (refused != null) {
      return new Hold(Hold.LIMIT, refused.key(), now.plus(refused.delay()).plusMillis(1));
    }
    if (ck != null) {
      counts.merge(ck, 1, Integer::sum);
    }
    return null;
  }

  /** Whether the job's concurrency key has room for one more, by {@code counts}. */
  private boolean hasRoom(Job job, Map<String, Integer> counts) {
    String ck = job.concurrencyKey();
    if (ck == null) {
      return true;
    }
    Integer cap = ruleFor(ck).map(LimitRule::concurrency).orElse(null);
    return cap == null || counts.getOrDefault(ck, 0) < cap;
  }

  /** What {@code job} draws: a start from each rated key, its cost from each key with units. */
  private List<ClaimDraws.Part> parts(Job job) {
    List<ClaimDraws.Part> parts = new ArrayList<>(2);
    for (String key : job.limitKeys()) {
      Quota q;
      synchronized (quotas) {
        q = quota(key);
      }
      if (q == null) {
        continue;
      }
      LimitRule r = q.rule();
      if (q.starts() != null) {
        parts.add(new ClaimDraws.Part(key, bucketName(STARTS, r.rate(), r, key), q.starts(), 1));
      }
      if (q.units() != null && job.cost() > 0) {
        parts.add(new ClaimDraws.Part(key, bucketName(UNITS, r.units(), r, key), q.units(), Math.min(job.cost(), r.units())));
      }
    }
    return parts;
  }

  private Map<String, Long> snapshot() {
    try {
      return buckets.snapshot(MAX_KEYS);
    } catch (BucketExceptions.BucketExecutionException e) {
      throw new StoreException("the quotas of limits per key cannot be read: " + e.getMessage(), e);
    }
  }

  /** What is left in a key's bucket: its row in a shared store's snapshot (none: full), else the bucket's own count. */
  private Long available(Map<String, Long> left, String part, String key, LimitRule r, Bucket bucket) {
    if (bucket == null) {
      return null;
    }
    if (!buckets.shared()) {
      return bucket.getAvailableTokens();
    }
    Number capacity = STARTS.equals(part) ? r.rate() : r.units();
    return left.getOrDefault(bucketName(part, capacity, r, key), capacity.longValue());
  }

  /** The name of a key's bucket: the part, its capacity and window, then the key, so a changed rule gets a new bucket. */
  private static String bucketName(String part, Number capacity, LimitRule r, String key) {
    return part + "/" + capacity + "/" + r.window().toMillis() + "/" + key;
  }

  /** The key of a bucket name, or null if it is not one of this configuration's. */
  private String keyOf(String name) {
    String[] p = name.split("/", 4);
    if (p.length != 4) {
      return null;
    }
    LimitRule r = ruleFor(p[3]).orElse(null);
    if (r == null || r.window() == null) {
      return null;
    }
    Number capacity = STARTS.equals(p[0]) ? r.rate() : UNITS.equals(p[0]) ? r.units() : null;
    return capacity != null && name.equals(bucketName(p[0], capacity, r, p[3])) ? p[3] : null;
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
    q = new Quota(rule, bucket(STARTS, rule.rate(), rule, key), bucket(UNITS, rule.units(), rule, key));
    quotas.put(key, q);
    return q;
  }

  private Bucket bucket(String part, Number capacity, LimitRule rule, String key) {
    return capacity == null ? null : buckets.bucket(bucketName(part, capacity, rule, key), capacity.longValue(), rule.window());
  }
}
