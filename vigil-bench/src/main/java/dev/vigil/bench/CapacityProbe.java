package dev.vigil.bench;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures what a server can process before the overload scenario offers it twice that, on a
 * server of its own with the same worker slots, lanes and handlers and no load settings (nothing
 * is refused).
 *
 * <ol>
 *   <li><b>warm-up</b>: the rate the overload will offer ({@code factor ×} the slots' nominal
 *       rate), one job per request from the same open-loop generator and connections, for {@link
 *       OverloadSizes#warmUp()}, so the JIT has compiled the request path and the engine's (it is
 *       one JVM) before anything is measured, as it has on a server that has been up for a while.
 *       These jobs return at once (their handler sees {@code due} in the payload), so no backlog
 *       builds; the server's C2 compiler needs some 10,000 calls of a method, hence 25 s;
 *   <li><b>capacity</b>: a backlog of {@code calibration × workers / jobLength} jobs in the
 *       scenario's lane mix, enqueued at once ({@code POST /api/v1/jobs/batch}, 100 per request);
 *       the capacity is the rate at which they finish between the first tenth and the last tenth
 *       (the steady part: at the start the slots fill, at the end only the lanes with
 *       reservations are left).
 * </ol>
 *
 * Measured rather than computed from the slots, so that "twice" holds on a machine that cannot
 * keep every slot busy.
 */
final class CapacityProbe {
  private static final int BATCH = 100;

  private final BenchContext ctx;
  private final OverloadSizes o;
  private final int jobs;
  private final long[] finishes;
  private final AtomicInteger finished = new AtomicInteger();
  private final LongAdder warmUpFinished = new LongAdder();

  private CapacityProbe(BenchContext ctx) {
    this.ctx = ctx;
    this.o = ctx.sizes().overload();
    double nominal = o.nominalJobsPerSecond(ctx.sizes().workers());
    this.jobs = (int) Math.max(200, Math.round(nominal * o.calibration().toMillis() / 1_000.0));
    this.finishes = new long[jobs];
  }

  /**
   * Runs the warm-up and the calibration; returns {@code {"jobs","jobs_per_s",
   * "nominal_jobs_per_s","warm_up_requests","seconds"}}.
   */
  static Map<String, Object> run(BenchContext ctx, ClientPool pool) throws Exception {
    return new CapacityProbe(ctx).measure(pool);
  }

  private Map<String, Object> measure(ClientPool pool) throws Exception {
    int workers = ctx.sizes().workers();
    double nominal = o.nominalJobsPerSecond(workers);
    Path dir = ctx.freshDir("vigil-overload-calibration");
    ServerConfig config = OverloadConfig.load(dir, OverloadConfig.calibrationYaml(workers, dir));
    long t0 = System.nanoTime();
    long warmUpAccepted;
    try (VigilServer server =
        VigilServer.start(
            config,
            b -> OverloadMix.LANES.forEach(lane -> b.handler(OverloadMix.typeOf(lane), this::job)))) {
      URI base = URI.create(server.url());
      warmUpAccepted = warmUp(base, pool, nominal * o.factor());
      ctx.progress().status("overload/calibration", () -> finished.get() + " of " + jobs + " done");
      enqueueBacklog(base);
      if (!Waits.until(() -> finished.get() >= jobs, Duration.ofMillis(5), Duration.ofMinutes(2))) {
        throw new IllegalStateException(
            "calibration: only " + finished.get() + " of " + jobs + " jobs finished in 2 minutes");
      }
    }
    int from = jobs / 10;
    int to = jobs - 1 - jobs / 10;
    var m = new LinkedHashMap<String, Object>();
    m.put("jobs", jobs);
    m.put("jobs_per_s", Math.round((to - from) * 1e9 / (finishes[to] - finishes[from])));
    m.put("nominal_jobs_per_s", Math.round(nominal));
    m.put("warm_up_requests", warmUpAccepted);
    m.put("seconds", Figures.round1((System.nanoTime() - t0) / 1e9));
    m.put("note", "calibration: a backlog of " + jobs + " jobs, finishes from the 10th to the 90th %");
    return m;
  }

  /** A warm-up job returns at once; a calibration job sleeps the job length, then notes its end. */
  private void job(dev.vigil.job.JobContext job) throws InterruptedException {
    if (job.payload().has("due")) {
      warmUpFinished.increment();
      return;
    }
    Thread.sleep(o.jobLength());
    int n = finished.getAndIncrement();
    if (n < jobs) {
      finishes[n] = System.nanoTime();
    }
  }

  /** Offers {@code perSecond} for the warm-up; returns the jobs accepted, once they have run. */
  private long warmUp(URI base, ClientPool pool, double perSecond) throws Exception {
    var accepted = new LongAdder();
    ctx.progress().status("overload/warm-up", () -> accepted.sum() + " jobs enqueued");
    OpenLoopLoad.Result r =
        new OpenLoopLoad(
                perSecond, o.warmUp(), OverloadScenario.MAX_IN_FLIGHT, OverloadMix.REQUEST_TIMEOUT)
            .run(
                System.nanoTime() + 20_000_000L,
                (seq, due) -> {
                  if (pool.send(OverloadMix.request(base, seq, due)).statusCode() == 201) {
                    accepted.increment();
                  }
                },
                () -> {});
    if (r.firstFailure() != null) {
      throw new IllegalStateException("warm-up: the load generator failed", r.firstFailure());
    }
    Waits.until(
        () -> warmUpFinished.sum() >= accepted.sum(), Duration.ofMillis(5), Duration.ofMinutes(1));
    return accepted.sum();
  }

  private void enqueueBacklog(URI base) throws Exception {
    URI uri = base.resolve("/api/v1/jobs/batch");
    try (HttpClient http = BenchHttp.client()) {
      for (int first = 0; first < jobs; first += BATCH) {
        List<String> batch = new ArrayList<>();
        for (int i = first; i < Math.min(jobs, first + BATCH); i++) {
          String lane = OverloadMix.laneOf(i);
          batch.add("{\"type\":\"" + OverloadMix.typeOf(lane) + "\",\"lane\":\"" + lane + "\"}");
        }
        HttpResponse<String> res =
            http.send(
                BenchHttp.post(uri, "{\"jobs\":[" + String.join(",", batch) + "]}"),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
          throw new IllegalStateException(
              "calibration: enqueue answered " + res.statusCode() + ": " + res.body());
        }
      }
    }
  }
}
