package dev.vigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One run of the overload scenario against one server ({@link OverloadScenario}): starts the
 * server from its {@link OverloadConfig}, offers the load, samples the lanes, waits for the
 * backlog to drain, and gathers the figures: requests by lane and outcome, the accepted requests'
 * latency, each lane's wait, the drain, {@code cognition}'s enqueue-to-start from the jobs' own
 * timestamps, the server's refusal counters, and the process's CPU during the load.
 */
final class OverloadRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchContext ctx;
  private final OverloadConfig settings;
  private final OverloadSizes o;
  private final RequestTally requests = new RequestTally(OverloadMix.LANES);
  private final JobTally jobs = new JobTally(OverloadMix.LANES);
  private final Queue<String> cognitionIds = new ConcurrentLinkedQueue<>();
  private final AtomicLong sent = new AtomicLong();

  OverloadRun(BenchContext ctx, OverloadConfig settings) {
    this.ctx = ctx;
    this.settings = settings;
    this.o = ctx.sizes().overload();
  }

  Map<String, Object> measure() throws Exception {
    Path dir = ctx.freshDir("vigil-overload");
    ServerConfig config = OverloadConfig.load(dir, settings.yaml(dir));
    var m = new LinkedHashMap<String, Object>();
    try (VigilServer server =
        VigilServer.start(
            config,
            b -> OverloadMix.LANES.forEach(
                lane -> b.handler(OverloadMix.typeOf(lane), jobs.handler(o.jobLength()))))) {
      URI base = URI.create(server.url());
      var atEnd = new LinkedHashMap<String, Long>();
      var finishedAtEnd = new AtomicLong();
      OpenLoopLoad.Result load;
      LaneSampler samples;
      try (LaneSampler lanes = LaneSampler.start(server.vigil());
          var pool = new ClientPool(OverloadScenario.CONNECTIONS)) {
        ctx.progress().status("overload/load", this::status);
        long start = System.nanoTime() + 20_000_000L;
        requests.origin(start);
        long cpu0 = CpuClock.processCpuNanos();
        var cpuInWindow = new AtomicLong();
        load =
            new OpenLoopLoad(
                    settings.offered(),
                    o.window(),
                    OverloadScenario.MAX_IN_FLIGHT,
                    OverloadMix.REQUEST_TIMEOUT.plusSeconds(30))
                .run(
                    start,
                    (seq, due) -> send(pool, base, seq, due),
                    () -> {
                      cpuInWindow.set(CpuClock.processCpuNanos() - cpu0);
                      finishedAtEnd.set(jobs.finished());
                      atEnd.putAll(lanes.readyNow());
                    });
        if (load.firstFailure() != null) {
          throw new IllegalStateException("the load generator failed", load.firstFailure());
        }
        lanes.close();
        m.putAll(offered(load, finishedAtEnd.get()));
        m.put("cpu_cores", Figures.round2(cpuInWindow.get() / (double) (load.endNanos() - start)));
        m.put(
            "cpu_us_per_request",
            Figures.cpuMicrosPerJob(cpuInWindow.get(), Math.max(1, requests.requests())));
        samples = lanes;
      }
      m.putAll(drain(server.vigil(), load.endNanos(), atEnd));
      // after the drain, so every accepted job's wait is in, also those that started after the load
      m.put("by_lane", byLane(samples, atEnd));
      m.put("cognition_enqueue_to_start", cognitionWaits(server.vigil()));
      ServerMetrics metrics = ServerMetrics.read(base);
      m.put("server_rejections", metrics.rejections());
      m.put("store_operations", metrics.storeOperations());
    }
    m.put(
        "note",
        "offered " + Math.round(settings.offered()) + "/s = " + o.factor() + "× capacity; refused "
            + Math.round(100.0 * ((Number) m.get("refused")).longValue()
                / Math.max(1, requests.requests())) + " %");
    return m;
  }

  private String status() {
    return sent.get() + " sent, " + requests.count(RequestTally.Outcome.ACCEPTED) + " accepted, "
        + jobs.finished() + " done";
  }

  /**
   * Sends arrival {@code seq} and records its answer; an answer that is not JSON where it must be
   * (an accepted job without its id) throws, and fails the run.
   */
  private void send(ClientPool pool, URI base, long seq, long due)
      throws InterruptedException, IOException {
    String lane = OverloadMix.laneOf(seq);
    sent.incrementAndGet();
    HttpResponse<String> res;
    try {
      res = pool.send(OverloadMix.request(base, seq, due));
    } catch (IOException e) {
      requests.failed(lane, e);
      return;
    }
    if (requests.answered(lane, res, due) == RequestTally.Outcome.ACCEPTED
        && lane.equals("cognition")) {
      cognitionIds.add(JSON.readTree(res.body()).path("id").asText());
    }
  }

  private Map<String, Object> offered(OpenLoopLoad.Result load, long finishedInWindow) {
    double seconds = (load.endNanos() - load.startNanos()) / 1e9;
    var m = new LinkedHashMap<String, Object>();
    m.put("offered_per_s", Math.round(settings.offered()));
    m.put("requests", requests.requests());
    m.put("accepted", requests.count(RequestTally.Outcome.ACCEPTED));
    m.put("refused", requests.refused());
    for (RequestTally.Outcome outcome : RequestTally.Outcome.values()) {
      if (outcome != RequestTally.Outcome.ACCEPTED) {
        m.put(outcome.key, requests.count(outcome));
      }
    }
    m.put("other_errors_by_cause", requests.otherErrorsByCause());
    m.put("refused_without_retry_after", requests.refusedWithoutRetryAfter());
    m.put("retry_after_s", requests.retryAfterSeconds());
    m.put("dropped_by_generator", load.dropped());
    m.put("unanswered_at_end", load.unfinished());
    m.put("jobs_per_s", Math.round(finishedInWindow / seconds));
    m.putAll(requests.acceptedLatency());
    m.put("refused_latency", requests.refusedLatency());
    m.put("p99_ms_per_s", requests.p99PerSecond());
    return m;
  }

  private Map<String, Object> byLane(LaneSampler lanes, Map<String, Long> readyAtEnd) {
    var m = new LinkedHashMap<String, Object>();
    for (String lane : OverloadMix.LANES) {
      var l = new LinkedHashMap<String, Object>(requests.laneCounts(lane));
      jobs.wait(lane).forEach((k, v) -> l.put("wait_" + k, v));
      l.put("ready_at_stop", readyAtEnd.getOrDefault(lane, 0L));
      l.putAll(lanes.figures(lane));
      m.put(lane, l);
    }
    return m;
  }

  /**
   * Waits for every accepted job to finish and to be stored as succeeded; the drain time runs
   * from the end of the load to the last handler's return.
   */
  private Map<String, Object> drain(Vigil vigil, long loadEnd, Map<String, Long> readyAtEnd)
      throws InterruptedException {
    long accepted = requests.count(RequestTally.Outcome.ACCEPTED);
    Duration limit = ctx.sizes().quick() ? Duration.ofMinutes(1) : Duration.ofMinutes(10);
    ctx.progress()
        .status("overload/drain", () -> jobs.finished() + " of " + accepted + " accepted jobs done");
    boolean finished =
        Waits.until(() -> jobs.finished() >= accepted, Duration.ofMillis(5), limit)
            && Waits.until(
                () -> vigil.counts().get(JobState.SUCCEEDED) >= accepted,
                Duration.ofMillis(50),
                Duration.ofSeconds(30));
    var notSucceeded = new LinkedHashMap<String, Long>();
    vigil.counts().forEach((state, n) -> {
      if (state != JobState.SUCCEEDED && n > 0) {
        notSucceeded.put(state.name().toLowerCase(Locale.ROOT), n);
      }
    });
    long succeeded = vigil.counts().get(JobState.SUCCEEDED);
    var m = new LinkedHashMap<String, Object>();
    m.put("backlog_at_stop", readyAtEnd.values().stream().mapToLong(Long::longValue).sum());
    m.put("drained", finished && succeeded == accepted && notSucceeded.isEmpty());
    m.put("drain_s", Figures.round2(Math.max(0, jobs.lastFinishNanos() - loadEnd) / 1e9));
    m.put("succeeded", succeeded);
    m.put("not_succeeded", notSucceeded);
    return m;
  }

  /** Cognition's wait from each accepted job's {@code created_at} to its {@code started_at}. */
  private Map<String, Object> cognitionWaits(Vigil vigil) {
    Histogram h = Figures.latencyHistogram();
    for (String id : cognitionIds) {
      vigil.get(id)
          .filter(j -> j.startedAt() != null)
          .ifPresent(j -> Figures.recordNanos(h, startDelayNanos(j)));
    }
    var m = Figures.latenciesWithP95(h);
    m.put("note", "from the jobs' created_at to started_at (millisecond timestamps)");
    return m;
  }

  private static long startDelayNanos(Job j) {
    return Duration.between(j.createdAt(), j.startedAt()).toNanos();
  }
}
