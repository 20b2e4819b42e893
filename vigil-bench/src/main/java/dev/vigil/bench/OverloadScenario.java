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
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Issue 13's overload benchmark: a {@link VigilServer} on loopback offered about twice what it
 * can process, over HTTP, in a mix of lanes, for a minute; then the load stops and the backlog
 * drains.
 *
 * <ol>
 *   <li><b>calibration</b> ({@link CapacityProbe}): what a server with these slots and handlers
 *       processes, measured on a server of its own;
 *   <li><b>configuration</b> ({@link OverloadConfig}): a {@code vigil.yaml} for that capacity, read
 *       as {@code vigil server} reads it: {@code cognition} protected, target waits per lane, a
 *       {@code max_ready} on {@code background}, HTTP rate limits on;
 *   <li><b>overload</b>: {@code factor × capacity} requests a second, one job each ({@code POST
 *       /api/v1/jobs}), in {@link OverloadMix}'s lanes, from an open-loop generator ({@link
 *       OpenLoopLoad}: constant arrival rate, each request on its own virtual thread, latency from
 *       when it was due), over {@value #CONNECTIONS} connections ({@link ClientPool}: JDK {@link
 *       java.net.http.HttpClient}s, HTTP/1.1, a request waiting for a free one is charged the
 *       wait). Every job's handler sleeps
 *       {@link OverloadSizes#jobLength()}: the slots, not the CPU, bound the processing;
 *   <li><b>drain</b>: the time from the end of the load to the last accepted job's end, and a check
 *       that every accepted job succeeded.
 * </ol>
 *
 * Reported: requests by lane and outcome ({@link RequestTally}), the accepted requests' latency,
 * the errors that are neither {@code 429} nor {@code 503}, refusals without {@code Retry-After},
 * each lane's wait from request to handler ({@link JobTally}), its ready jobs and backpressure
 * level each second ({@link LaneSampler}), the server's own refusal counters by reason ({@code
 * vigil_jobs_rejected_total}, which tells shedding from overload), and {@code cognition}'s
 * enqueue-to-start from the jobs' own timestamps ({@code created_at} to {@code started_at}), with
 * the goals of issue 13 marked met or not.
 *
 * <pre>
 * ./vigil bench --scenario overload                       # 60 s at twice the capacity
 * ./vigil bench --scenario overload --overload-seconds 30 --overload-factor 3
 * </pre>
 */
final class OverloadScenario implements Scenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The generator's connections: a producer service's pool ({@link ClientPool}). */
  static final int CONNECTIONS = 64;

  /** Arrivals outstanding (sent or waiting for a connection) beyond which one is dropped. */
  static final int MAX_IN_FLIGHT = 20_000;

  /** The goal on the accepted requests' p95, from issue 13. */
  static final double ACCEPTED_P95_GOAL_MS = 1_200;

  /** The goal on cognition's enqueue-to-start p99 during the overload, from issue 13. */
  static final double COGNITION_P99_GOAL_MS = 50;

  @Override
  public String name() {
    return "overload";
  }

  @Override
  public Map<String, Object> run(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    OverloadSizes o = s.overload();
    Map<String, Object> calibration;
    try (var pool = new ClientPool(CONNECTIONS)) {
      calibration = CapacityProbe.run(ctx, pool);
    }
    ctx.progress()
        .say("  capacity        " + calibration.get("jobs_per_s") + " jobs/s (nominal "
            + calibration.get("nominal_jobs_per_s") + ")");
    double capacity = ((Number) calibration.get("jobs_per_s")).doubleValue();
    OverloadConfig settings = OverloadConfig.of(s.workers(), capacity, o);
    var out = new LinkedHashMap<String, Object>();
    var params = new LinkedHashMap<String, Object>();
    params.put("workers", s.workers());
    params.put("job_ms", o.jobLength().toMillis());
    params.put("seconds", o.window().toSeconds());
    params.put("factor", o.factor());
    params.put("mix", OverloadMix.shares());
    params.put("connections", CONNECTIONS);
    params.put("config", settings.yaml(Path.of("vigil-data")));
    out.put("params", params);
    Map<String, Object> vigil = new Run(ctx, settings).measure();
    vigil.put("capacity", calibration);
    out.put("vigil", vigil);
    out.put("goals", goals(vigil).stream().map(Goal::toJson).toList());
    out.put("peers", Map.of());
    out.put("note", "Vigil only: the peers have no HTTP enqueue or admission to compare");
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Goal> goals(Map<String, Object> vigil) {
    var cognition = (Map<String, Object>) vigil.get("cognition_enqueue_to_start");
    long refusedWithout = ((Number) vigil.get("refused_without_retry_after")).longValue();
    long refused = ((Number) vigil.get("refused")).longValue();
    return List.of(
        Goal.under(
            "accepted requests p95",
            ((Number) vigil.get("p95_ms")).doubleValue(),
            ACCEPTED_P95_GOAL_MS,
            "ms"),
        Goal.none("errors other than 429 and 503", ((Number) vigil.get("other_errors")).longValue()),
        Goal.under(
            "cognition enqueue-to-start p99",
            ((Number) cognition.get("p99_ms")).doubleValue(),
            COGNITION_P99_GOAL_MS,
            "ms"),
        new Goal(
            "every refusal carries Retry-After",
            (refused - refusedWithout) + " of " + refused,
            refusedWithout == 0),
        new Goal(
            "the backlog drains after the load stops",
            Boolean.TRUE.equals(vigil.get("drained"))
                ? "in " + vigil.get("drain_s") + " s"
                : "not drained: " + vigil.get("not_succeeded"),
            Boolean.TRUE.equals(vigil.get("drained"))));
  }

  /** One overload run against one server. */
  private static final class Run {
    private final BenchContext ctx;
    private final OverloadConfig settings;
    private final OverloadSizes o;
    private final RequestTally requests = new RequestTally(OverloadMix.LANES);
    private final JobTally jobs = new JobTally(OverloadMix.LANES);
    private final Queue<String> cognitionIds = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();

    Run(BenchContext ctx, OverloadConfig settings) {
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
        try (LaneSampler lanes = LaneSampler.start(server.vigil());
            var pool = new ClientPool(CONNECTIONS)) {
          ctx.progress().status("overload/load", this::status);
          long start = System.nanoTime() + 20_000_000L;
          requests.origin(start);
          load =
              OpenLoopLoad.run(
                  settings.offered(),
                  o.window(),
                  MAX_IN_FLIGHT,
                  OverloadMix.REQUEST_TIMEOUT.plusSeconds(30),
                  (seq, due) -> send(pool, base, seq, due),
                  () -> {
                    finishedAtEnd.set(jobs.finished());
                    atEnd.putAll(lanes.readyNow());
                  },
                  start);
          if (load.firstFailure() != null) {
            throw new IllegalStateException("the load generator failed", load.firstFailure());
          }
          lanes.close();
          m.putAll(offered(load, finishedAtEnd.get()));
          m.put("by_lane", byLane(lanes, atEnd));
        }
        m.putAll(drain(server.vigil(), load.endNanos(), atEnd));
        m.put("cognition_enqueue_to_start", cognitionWaits(server.vigil()));
        m.put("server_rejections", ServerRejections.read(base));
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

    private void send(ClientPool pool, URI base, long seq, long due) throws InterruptedException {
      String lane = OverloadMix.laneOf(seq);
      sent.incrementAndGet();
      try {
        HttpResponse<String> res = pool.send(OverloadMix.request(base, seq, due));
        if (requests.answered(lane, res, due) == RequestTally.Outcome.ACCEPTED
            && lane.equals("cognition")) {
          cognitionIds.add(JSON.readTree(res.body()).path("id").asText());
        }
      } catch (IOException e) {
        requests.failed(lane, e);
      }
    }

    private Map<String, Object> offered(OpenLoopLoad.Result load, long finishedInWindow) {
      double seconds = (load.endNanos() - load.startNanos()) / 1e9;
      var m = new LinkedHashMap<String, Object>();
      m.put("offered_per_s", Math.round(settings.offered()));
      m.put("requests", requests.requests());
      m.put("accepted", requests.count(RequestTally.Outcome.ACCEPTED));
      long refused = 0;
      for (RequestTally.Outcome outcome : RequestTally.Outcome.values()) {
        if (outcome.refused()) {
          refused += requests.count(outcome);
        }
      }
      m.put("refused", refused);
      for (RequestTally.Outcome outcome : RequestTally.Outcome.values()) {
        if (outcome != RequestTally.Outcome.ACCEPTED) {
          m.put(outcome.key, requests.count(outcome));
        }
      }
      m.put("other_errors_by_cause", requests.otherErrorsByCause());
      m.put("refused_without_retry_after", requests.refusedWithoutRetryAfter());
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
          notSucceeded.put(state.name().toLowerCase(java.util.Locale.ROOT), n);
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
}
