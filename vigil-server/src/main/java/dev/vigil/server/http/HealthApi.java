package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.observe.alerts.Alert;
import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.alerts.AlertState;
import dev.vigil.observe.health.CheckResult;
import dev.vigil.observe.health.HealthChecks;
import dev.vigil.observe.health.HealthReport;
import dev.vigil.observe.health.HealthSettings;
import dev.vigil.observe.health.HealthStatus;
import dev.vigil.observe.health.VigilHealth;
import dev.vigil.observe.history.Forecast;
import dev.vigil.observe.history.Forecasts;
import dev.vigil.server.http.ServerState.Phase;
import dev.vigil.store.StoreException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The health endpoints, each answering {@code healthy}, {@code degraded} or {@code unhealthy}:
 *
 * <ul>
 *   <li>{@code /health/live}: 200 while the process serves HTTP; runs no check, so it stays cheap
 *       for a liveness probe that restarts the process when it fails.
 *   <li>{@code /health/ready}: 200 while the server is {@code ready} (not starting, draining or
 *       stopped) and its store answers; 503 otherwise. With the {@code phase} and the store check.
 *   <li>{@code /health}: the status only; 503 when unhealthy or not ready.
 *   <li>{@code /health/detailed}: {@code {"status","timestamp","checks":{name:{"status","message",
 *       "latency_ms","details"}},"uptime_seconds","phase","alerts":{"rules","firing","pending",
 *       "config_error"},"forecasts":[{"what","labels","value","threshold","slope_per_hour",
 *       "reaches_at","r_squared","points"}]}}, every check of {@link VigilHealth} plus the
 *       configured probes; 503 when unhealthy or not ready. A rules file that was refused shows in
 *       {@code alerts.config_error} without changing the status: the rules before it keep running.
 *       Forecasts ({@link Forecasts}, present while history is on) never change the status either.
 * </ul>
 *
 * <p>The store check is the readiness probe's ({@link StoreHealth}), so both endpoints agree; the
 * other checks run in parallel under their timeouts and a report is reused for {@code
 * health.cache_ms}.
 */
final class HealthApi {
  private final ServerState state;
  private final StoreHealth store;
  private final HealthChecks checks;
  private final AlertEngine alerts;
  private final CachedForecasts forecasts;

  HealthApi(Vigil vigil, ServerState state, StoreHealth store, Observability o) {
    this.state = state;
    this.alerts = o.alerts();
    this.store = store;
    InstantSource clock = InstantSource.system();
    this.forecasts = o.history() == null ? null : new CachedForecasts(new Forecasts(o.history(), clock), clock);
    HealthSettings s = o.health();
    this.checks =
        VigilHealth.checks(vigil, s, o.dataDir(), clock)
            .add("store", () -> storeResult(store.check(), s))
            .uptime(state::uptime)
            .build();
    if (o.registry() != null) {
      HealthMeters.register(o.registry(), checks, o.dataDir());
    }
  }

  void live(Context ctx) {
    Json.send(ctx, 200, Json.object().put("status", HealthStatus.HEALTHY.wireName()));
  }

  void ready(Context ctx) {
    Phase phase = state.phase();
    ObjectNode n = Json.object();
    if (phase != Phase.READY) {
      n.put("status", HealthStatus.UNHEALTHY.wireName()).put("phase", phase.wireName());
      Json.send(ctx, 503, n);
      return;
    }
    long start = System.nanoTime();
    CheckResult r = storeResult(store.check(), null).withLatency((System.nanoTime() - start) / 1e6);
    boolean up = r.status() != HealthStatus.UNHEALTHY;
    n.put("status", (up ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY).wireName()).put("phase", phase.wireName());
    Json.putTime(n, "timestamp", Instant.now());
    n.putObject("checks").set("store", check(r));
    Json.send(ctx, up ? 200 : 503, n);
  }

  void health(Context ctx) {
    HealthStatus status = status(checks.report());
    Json.send(ctx, code(status), Json.object().put("status", status.wireName()));
  }

  void detailed(Context ctx) {
    HealthReport report = checks.report();
    HealthStatus status = status(report);
    ObjectNode n = Json.object().put("status", status.wireName());
    Json.putTime(n, "timestamp", report.timestamp());
    ObjectNode all = n.putObject("checks");
    report.checks().forEach((name, r) -> all.set(name, check(r)));
    n.put("uptime_seconds", report.uptime().toMillis() / 1000.0);
    n.put("phase", state.phase().wireName());
    if (alerts != null) {
      n.set("alerts", alerts(alerts));
    }
    if (forecasts != null) {
      ArrayNode list = n.putArray("forecasts");
      forecasts.get().forEach(f -> list.add(forecast(f)));
    }
    Json.send(ctx, code(status), n);
  }

  /**
   * What alerting runs: its rules, the alerts firing and pending (null when the store that keeps
   * them cannot be read: the store check says why), and why the rules file was refused (or null).
   */
  private static ObjectNode alerts(AlertEngine engine) {
    ObjectNode a = Json.object();
    a.put("rules", engine.rules().size());
    try {
      List<Alert> active = engine.alerts();
      a.put("firing", active.stream().filter(x -> x.state() == AlertState.FIRING).count());
      a.put("pending", active.stream().filter(x -> x.state() == AlertState.PENDING).count());
    } catch (StoreException e) {
      a.putNull("firing");
      a.putNull("pending");
    }
    a.put("config_error", engine.configError());
    return a;
  }

  /**
   * One forecast: {@code reaches_at} to the second, null when the line never meets the threshold;
   * {@code r_squared} to four decimals.
   */
  private static ObjectNode forecast(Forecast f) {
    ObjectNode j = Json.object();
    j.put("what", f.what().wireName());
    j.set("labels", Json.MAPPER.valueToTree(f.labels()));
    j.put("value", f.value());
    j.put("threshold", f.threshold());
    j.put("slope_per_hour", f.slopePerHour());
    Json.putTime(j, "reaches_at", f.reaches().map(t -> t.truncatedTo(ChronoUnit.SECONDS)).orElse(null));
    j.put("r_squared", Math.round(f.rSquared() * 10_000) / 10_000.0);
    j.put("points", f.points());
    return j;
  }

  /** The report's status, unhealthy whenever the server is not ready for work. */
  private HealthStatus status(HealthReport report) {
    return state.phase() == Phase.READY ? report.status() : HealthStatus.UNHEALTHY;
  }

  private static int code(HealthStatus status) {
    return status == HealthStatus.UNHEALTHY ? 503 : 200;
  }

  private static ObjectNode check(CheckResult r) {
    ObjectNode c = Json.object();
    c.put("status", r.status().wireName());
    c.put("message", r.message());
    c.put("latency_ms", Math.round(r.latencyMs() * 1000) / 1000.0);
    c.set("details", Json.MAPPER.valueToTree(r.details()));
    return c;
  }

  /** The readiness probe's answer as a check: degraded when slower than {@code store_warn_ms}. */
  private static CheckResult storeResult(StoreHealth.Result r, HealthSettings s) {
    double ms = Math.round(r.latencyMs() * 1000) / 1000.0;
    if (!r.up()) {
      return CheckResult.unhealthy("no answer: " + r.reason()).with("round_trip_ms", ms);
    }
    if (s != null && r.latencyMs() > s.storeWarnAbove().toMillis()) {
      return CheckResult.degraded("slow: answered in " + ms + " ms (over " + s.storeWarnAbove().toMillis() + " ms)")
          .with("round_trip_ms", ms);
    }
    return CheckResult.healthy("answered in " + ms + " ms").with("round_trip_ms", ms);
  }
}
