package dev.vigil.observe.health;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node's health checks and reports them together.
 *
 * <pre>{@code
 * HealthChecks health = HealthChecks.builder()
 *     .add("disk", Checks.diskSpace(dataDir, 100 << 20, 1L << 30))
 *     .add("redis", Checks.tcp("redis", 6379, Duration.ofSeconds(1)), Duration.ofSeconds(2))
 *     .build();
 * HealthReport report = health.report();
 * }</pre>
 *
 * <p>Design: health is asked by load balancers, orchestrators and people at once, most often when
 * something is already wrong. So the checks run in parallel, each on its own virtual thread under
 * its own timeout (a check that does not answer in time is unhealthy, "no answer within N ms");
 * a check still stuck from an earlier report is not started again but reported unhealthy until it
 * returns, so a dead dependency never piles up threads; and a report is reused for {@code
 * cacheFor} (default 1 s), so a burst of requests costs one round of checks. A check that throws
 * is unhealthy, reported by exception type only: messages may carry data.
 */
public final class HealthChecks {
  private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);

  private record Entry(HealthCheck check, Duration timeout) {}

  private record Running(CompletableFuture<CheckResult> result, long sinceNanos) {}

  private final Map<String, Entry> checks;
  private final Duration cacheFor;
  private final InstantSource clock;
  private final Supplier<Duration> uptime;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private HealthReport last;
  private long lastNanos;

  private HealthChecks(Builder b) {
    this.checks = new LinkedHashMap<>();
    b.checks.forEach((n, e) -> checks.put(n, new Entry(e.check(), e.timeout() != null ? e.timeout() : b.timeout)));
    this.cacheFor = b.cacheFor;
    this.clock = b.clock;
    this.uptime = b.uptime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The names of the checks, in the order they were added. */
  public java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(checks.keySet());
  }

  /** Every check's result, run now or at most {@code cacheFor} ago. Blocks at most the longest timeout. */
  public synchronized HealthReport report() {
    long now = System.nanoTime();
    if (last != null && now - lastNanos < cacheFor.toNanos()) {
      return last;
    }
    var futures = new LinkedHashMap<String, Running>();
    checks.forEach((name, entry) -> futures.put(name, start(name, entry, now)));
    var results = new LinkedHashMap<String, CheckResult>();
    HealthStatus status = HealthStatus.HEALTHY;
    for (var e : futures.entrySet()) {
      CheckResult r = await(e.getKey(), e.getValue(), checks.get(e.getKey()).timeout());
      results.put(e.getKey(), r);
      status = status.worse(r.status());
    }
    last = new HealthReport(status, clock.instant(), java.util.Collections.unmodifiableMap(results), uptime.get());
    lastNanos = System.nanoTime();
    return last;
  }

  private Running start(String name, Entry entry, long now) {
    Running previous = running.get(name);
    if (previous != null && !previous.result().isDone()) {
      return previous;
    }
    var future = new CompletableFuture<CheckResult>();
    var r = new Running(future, now);
    running.put(name, r);
    Thread.ofVirtual().name("vigil-health-" + name).start(() -> future.complete(runCheck(name, entry.check())));
    return r;
  }

  private static CheckResult runCheck(String name, HealthCheck check) {
    long start = System.nanoTime();
    CheckResult result;
    try {
      result = Objects.requireNonNull(check.check(), "a check returned null");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = CheckResult.unhealthy("interrupted");
    } catch (Exception | LinkageError e) {
      log.warn("health check {} failed: {}", name, e.getClass().getName());
      result = CheckResult.unhealthy("failed: " + e.getClass().getSimpleName());
    }
    return result.withLatency((System.nanoTime() - start) / 1e6);
  }

  private static CheckResult await(String name, Running r, Duration timeout) {
    long waited = System.nanoTime() - r.sinceNanos();
    long left = timeout.toNanos() - waited;
    try {
      if (left <= 0 && !r.result().isDone()) {
        throw new TimeoutException();
      }
      return left <= 0 ? r.result().get() : r.result().get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      double ms = Math.max(waited, timeout.toNanos()) / 1e6;
      return CheckResult.unhealthy("no answer within " + timeout.toMillis() + " ms").withLatency(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.unhealthy("interrupted");
    } catch (ExecutionException e) {
      return CheckResult.unhealthy("failed: " + e.getCause().getClass().getSimpleName());
    }
  }

  /** Builds {@link HealthChecks}; checks keep the order they are added in. */
  public static final class Builder {
    private final LinkedHashMap<String, Entry> checks = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(3);
    private Duration cacheFor = Duration.ofSeconds(1);
    private InstantSource clock = InstantSource.system();
    private Supplier<Duration> uptime =
        () -> Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());

    private Builder() {}

    /** Adds a check with the default timeout. Names are unique; the same name again replaces it. */
    public Builder add(String name, HealthCheck check) {
      return add(name, check, null);
    }

    /** Adds a check with its own timeout (null: the default). */
    public Builder add(String name, HealthCheck check, Duration timeout) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
      checks.put(name, new Entry(check, timeout));
      return this;
    }

    /** How long a check may take before it is reported unhealthy; default 3 s. */
    public Builder timeout(Duration v) {
      timeout = positive(v, "timeout");
      return this;
    }

    /** How long a report is reused; default 1 s; zero runs the checks on every request. */
    public Builder cacheFor(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("cacheFor must not be negative");
      }
      cacheFor = v;
      return this;
    }

    /** The clock for report timestamps. */
    public Builder clock(InstantSource v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    /** Where the report's uptime comes from; default the JVM's. */
    public Builder uptime(Supplier<Duration> v) {
      uptime = Objects.requireNonNull(v);
      return this;
    }

    public HealthChecks build() {
      return new HealthChecks(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
