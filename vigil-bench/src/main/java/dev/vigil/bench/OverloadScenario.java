package dev.vigil.bench;

import dev.vigil.server.VigilServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    Map<String, Object> vigil = new OverloadRun(ctx, settings).measure();
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
}
