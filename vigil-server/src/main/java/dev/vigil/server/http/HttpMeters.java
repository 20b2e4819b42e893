package dev.vigil.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code vigil_http_server_requests_seconds{route,method,status}}: every request's time, by the
 * route's template ({@code /api/v1/jobs/{id}}, never the path with its id), the method and the
 * status code. Requests that match no route count as {@code route="unmatched"}, and methods outside
 * the common HTTP ones as {@code method="other"}, so a scanner probing paths cannot grow the
 * series. Timers are built once per label set and cached.
 */
final class HttpMeters implements RequestLogger {
  static final String UNMATCHED = "unmatched";

  /** 1 ms to 2 min: a long-poll claim waits up to two minutes. */
  private static final Duration[] BUCKETS =
      seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120);

  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  private final MeterRegistry registry;
  private final Set<String> routes;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  /** @param routes the templates of the route table: the only values {@code route} takes besides unmatched */
  HttpMeters(MeterRegistry registry, Set<String> routes) {
    this.registry = registry;
    this.routes = Set.copyOf(routes);
  }

  @Override
  public void handle(Context ctx, Float executionTimeMs) {
    String route = route(ctx);
    String method = method(ctx.method());
    int status = ctx.statusCode();
    String key = route + ' ' + method + ' ' + status;
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, k -> build(route, method, status));
    }
    timer.record((long) (executionTimeMs * 1_000_000.0), TimeUnit.NANOSECONDS);
  }

  private String route(Context ctx) {
    Endpoint matched;
    try {
      matched = ctx.endpoints().matchedHttpEndpoint();
    } catch (RuntimeException e) {
      matched = null;
    }
    return matched != null && routes.contains(matched.path) ? matched.path : UNMATCHED;
  }

  private static String method(HandlerType type) {
    String name = type.toString();
    return METHODS.contains(name) ? name : "other";
  }

  private Timer build(String route, String method, int status) {
    return Timer.builder("vigil.http.server.requests")
        .description("HTTP requests served, by route template, method and status code")
        .tags("route", route, "method", method, "status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private static Duration[] seconds(double... values) {
    var out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }
}
