package dev.vigil.bench;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.Finish;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Issue 4, scenario 4: claim latency with 10^4, 10^5 and 10^6 jobs in the store, 90 % finished and
 * 10 % ready. For each size a file is built ({@link ScaleStoreBuilder}), opened as a {@link
 * SqliteJobStore} with its defaults, and claimed from as the dispatcher does: one {@code claim} of
 * 10 jobs from the lane, timed, then the 10 jobs finished in one {@code finishAll} (as the engine's
 * completion batcher does; timed separately), so the running count stays small. A throwaway store
 * warms the JIT up first, and the first claims of each size are not recorded either; no more than
 * 45 % of the ready jobs are consumed, so the store keeps its shape. The same is then repeated on a
 * second file with {@code synchronous=NORMAL}, which takes the fsync out of the figure and leaves
 * the cost of the statements themselves.
 *
 * <pre>./vigil bench --scenario scale</pre>
 */
final class ScaleScenario implements Scenario {
  private static final int CLAIM = 10;
  private static final int WARMUP = 10;

  @Override
  public String name() {
    return "scale";
  }

  @Override
  public Map<String, Object> run(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var vigil = new LinkedHashMap<String, Object>();
    Map<Long, Map<String, Object>> bySize = new LinkedHashMap<>();
    warmUp(ctx);
    for (long n : s.scaleSizes()) {
      var step = new LinkedHashMap<String, Object>();
      step.put("jobs", n);
      step.put("ready", ScaleStoreBuilder.readyOf(n));
      for (boolean full : new boolean[] {true, false}) {
        Path file = ctx.freshDir("vigil-scale-" + n).resolve("vigil.db");
        ctx.progress().status("scale/" + key(n), () -> "building a store of " + n + " jobs");
        long t0 = System.nanoTime();
        ScaleStoreBuilder.build(file, n);
        step.putIfAbsent("build_s", Figures.round1((System.nanoTime() - t0) / 1e9));
        Map<String, Object> figures = claims(ctx, file, n, full);
        if (full) {
          step.putAll(figures);
        } else {
          step.put("synchronous_normal", figures);
        }
      }
      bySize.put(n, step);
      vigil.put(key(n), step);
      ctx.progress().say("  " + key(n) + "  claim " + Report.summary(step));
    }
    long smallest = s.scaleSizes().getFirst();
    long largest = s.scaleSizes().getLast();
    var ratio = new LinkedHashMap<String, Object>();
    for (String f : List.of("p50_ms", "p99_ms")) {
      double a = ((Number) bySize.get(largest).get(f)).doubleValue();
      double b = ((Number) bySize.get(smallest).get(f)).doubleValue();
      ratio.put(f, b > 0 ? Figures.round2(a / b) : null);
    }
    vigil.put("ratio_" + key(largest) + "_to_" + key(smallest), ratio);
    var out = new LinkedHashMap<String, Object>();
    out.put("params", Map.of("sizes", s.scaleSizes(), "ready_share", 0.1, "jobs_per_claim", CLAIM));
    out.put("vigil", vigil);
    out.put("peers", Map.of());
    out.put("note", "Vigil only: issue 4 runs the peers in the throughput and isolation scenarios");
    return out;
  }

  private static Map<String, Object> claims(
      BenchContext ctx, Path file, long n, boolean synchronousFull) {
    Sizes s = ctx.sizes();
    long budget = (long) (ScaleStoreBuilder.readyOf(n) * 0.45) / CLAIM;
    int warmup = (int) Math.min(WARMUP, budget / 4);
    int timed = (int) Math.max(1, Math.min(s.scaleClaims(), budget - warmup));
    Histogram claim = Figures.latencyHistogram();
    Histogram finish = Figures.latencyHistogram();
    var quota = List.of(new LaneQuota(ScaleStoreBuilder.LANE, CLAIM, Integer.MAX_VALUE));
    int[] done = {0};
    ctx.progress().status("scale/" + key(n), () -> "claim " + done[0] + " of " + (timed + warmup));
    try (SqliteJobStore store =
        SqliteJobStore.builder(file).synchronousFull(synchronousFull).build()) {
      for (int i = 0; i < warmup + timed; i++) {
        long t = System.nanoTime();
        List<Job> jobs =
            store.claim(
                new ClaimRequest(
                    "bench-worker", quota, Set.of(), Duration.ofSeconds(30), Instant.now()));
        long c = System.nanoTime() - t;
        long f = finishAll(store, jobs);
        if (i >= warmup) {
          Figures.recordNanos(claim, c);
          Figures.recordNanos(finish, f);
        }
        done[0] = i + 1;
      }
    }
    var m = new LinkedHashMap<String, Object>();
    m.putAll(Figures.latencies(claim));
    m.put("claims", timed);
    m.put("finish_all_10", Figures.latencies(finish));
    return m;
  }

  /**
   * Finishes the claimed jobs in one {@code finishAll} call, as the engine's completion batcher
   * does; returns the elapsed nanos. (Ten concurrent {@code finish} calls would form a batch of ten
   * operations, after which the writer lingers up to its 2 ms window for company before the next
   * lone claim, and the figure would time the window instead of the claim.)
   */
  private static long finishAll(SqliteJobStore store, List<Job> jobs) {
    long t = System.nanoTime();
    List<Finish> finishes = new ArrayList<>();
    for (Job job : jobs) {
      finishes.add(
          new Finish(
              job.id(),
              job.leaseToken(),
              AttemptOutcome.SUCCEEDED,
              JobState.SUCCEEDED,
              null,
              null,
              "null",
              Instant.now()));
    }
    if (!finishes.isEmpty()) {
      store.finishAll(finishes);
    }
    return System.nanoTime() - t;
  }

  /**
   * Claims from a throwaway store first, so that the first size measured does not pay for the JIT
   * compiling the claim path (without this, 10^4 looked slower than 10^6).
   */
  private static void warmUp(BenchContext ctx) throws java.sql.SQLException {
    long n = 40_000;
    Path file = ctx.freshDir("vigil-scale-warmup").resolve("vigil.db");
    ctx.progress().status("scale/warm-up", () -> "claiming from a throwaway store");
    ScaleStoreBuilder.build(file, n);
    var quota = List.of(new LaneQuota(ScaleStoreBuilder.LANE, CLAIM, Integer.MAX_VALUE));
    try (SqliteJobStore store = SqliteJobStore.open(file)) {
      for (int i = 0; i < 300; i++) {
        finishAll(
            store,
            store.claim(
                new ClaimRequest(
                    "bench-worker", quota, Set.of(), Duration.ofSeconds(30), Instant.now())));
      }
    }
  }

  /** 10000 → "1e4". */
  static String key(long n) {
    return "1e" + Math.round(Math.log10(n));
  }
}
