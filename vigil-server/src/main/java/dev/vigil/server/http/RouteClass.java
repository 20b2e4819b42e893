package dev.vigil.server.http;

import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which rate limit a route counts against, decided from its method and path template so that a
 * route added to {@link ApiRoutes} is classed without being listed here: GET routes are {@link
 * #READ}; the routes of a remote worker's loop (claim, then heartbeat, complete or fail, one job or
 * a batch) are {@link #CLAIM}, so a busy worker fleet never starves operators' writes nor the other
 * way round; every other route is {@link #WRITE}. Probes and scrapes ({@code /health},
 * {@code /health/*}, {@code /metrics}) and {@code /api/openapi.json} have no class: they are never
 * limited, so an orchestrator or Prometheus never sees a 429.
 */
enum RouteClass {
  READ,
  WRITE,
  CLAIM;

  private static final Set<String> WORKER_ROUTES =
      Set.of(
          "/api/v1/claim",
          "/api/v1/jobs/{id}/heartbeat",
          "/api/v1/jobs/{id}/complete",
          "/api/v1/jobs/{id}/fail",
          "/api/v1/jobs/complete",
          "/api/v1/jobs/fail");

  private static final Set<String> UNLIMITED = Set.of("/health", "/metrics", "/api/openapi.json");

  /** The class of the route {@code method} {@code path} (a template), or empty when it is never limited. */
  static Optional<RouteClass> of(HandlerType method, String path) {
    if (UNLIMITED.contains(path) || path.startsWith("/health/")) {
      return Optional.empty();
    }
    if (HandlerType.GET.equals(method)) {
      return Optional.of(READ);
    }
    return Optional.of(HandlerType.POST.equals(method) && WORKER_ROUTES.contains(path) ? CLAIM : WRITE);
  }

  /** The name in configuration and in the {@code RateLimit} fields: {@code read}, {@code write}, {@code claim}. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
