package dev.vigil.server.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.vigil.Vigil;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.time.InstantSource;
import java.util.List;

/**
 * Every route of the API, in one table. A route marked {@link Admission#WORK} creates or changes
 * work and is refused with 503 once the server is draining; the others (reads, health, and the
 * heartbeats and reports of jobs already running) are served until the engine stops.
 *
 * <p>{@code docs} and {@code openapi.json} follow this table; {@code OpenApiDocumentTest} checks
 * that the OpenAPI document and this table name the same routes.
 */
final class ApiRoutes {
  /** Whether a route is refused while the server drains. */
  enum Admission {
    WORK,
    ALWAYS
  }

  /** One route: method, Javalin path ({@code {id}} for a parameter), handler, admission. */
  record Route(HandlerType method, String path, Handler handler, Admission admission) {}

  private final ServerState state;
  private final List<Route> table;

  ApiRoutes(Vigil vigil, HttpSettings settings, ServerState state) {
    this(vigil, settings, state, HttpApi.defaultStoreHealth(vigil));
  }

  ApiRoutes(Vigil vigil, HttpSettings settings, ServerState state, StoreHealth storeHealth) {
    this(vigil, settings, state, storeHealth, Observability.NONE);
  }

  ApiRoutes(Vigil vigil, HttpSettings settings, ServerState state, StoreHealth storeHealth, Observability observability) {
    this.state = state;
    var bodies = new JsonBodies(settings.maxBodyBytes());
    var requests = new JobRequests(settings.maxPayloadBytes());
    var jobs = new JobsApi(vigil, bodies, requests);
    var workers = new WorkersApi(vigil, bodies, settings.defaultLease());
    var lanes = new LanesApi(vigil);
    var schedules = new SchedulesApi(vigil, bodies, requests);
    var nodes = new NodesApi(vigil, InstantSource.system());
    var traces = new TracesApi(vigil);
    var ops = new OpsApi(vigil, state);
    var health = new HealthApi(vigil, state, storeHealth, observability);
    var metrics = new MetricsApi(observability.prometheus());
    table =
        List.of(
            work(POST, "/api/v1/jobs", jobs::enqueue),
            work(POST, "/api/v1/jobs/batch", jobs::enqueueBatch),
            always(GET, "/api/v1/jobs", jobs::list),
            always(GET, "/api/v1/jobs/{id}", jobs::get),
            work(POST, "/api/v1/jobs/{id}/cancel", jobs::cancel),
            work(POST, "/api/v1/jobs/{id}/retry", jobs::retry),
            work(POST, "/api/v1/claim", workers::claim),
            always(POST, "/api/v1/jobs/{id}/heartbeat", workers::heartbeat),
            always(POST, "/api/v1/jobs/{id}/complete", workers::complete),
            always(POST, "/api/v1/jobs/{id}/fail", workers::fail),
            always(GET, "/api/v1/lanes", lanes::list),
            work(POST, "/api/v1/lanes/{name}/pause", lanes::pause),
            work(POST, "/api/v1/lanes/{name}/resume", lanes::resume),
            work(POST, "/api/v1/schedules", schedules::upsert),
            always(GET, "/api/v1/schedules", schedules::list),
            always(GET, "/api/v1/schedules/{name}", schedules::get),
            work(DELETE, "/api/v1/schedules/{name}", schedules::delete),
            always(GET, "/api/v1/nodes", nodes::list),
            always(GET, "/api/v1/traces/{correlation_id}", traces::get),
            always(GET, "/api/v1/stats", ops::stats),
            always(GET, "/health", health::health),
            always(GET, "/health/live", health::live),
            always(GET, "/health/ready", health::ready),
            always(GET, "/health/detailed", health::detailed),
            always(GET, "/metrics", metrics::scrape),
            always(GET, "/api/openapi.json", ops::openapi));
  }

  /** The table, in declaration order. */
  List<Route> table() {
    return table;
  }

  /** The handler to register for {@code route}: admission check, then the route's own handler. */
  Handler handlerFor(Route route) {
    if (route.admission() == Admission.ALWAYS) {
      return route.handler();
    }
    return ctx -> {
      if (!state.acceptsWork()) {
        throw Problem.unavailable("the server is " + state.phase().wireName() + " and accepts no new work")
            .toException();
      }
      route.handler().handle(ctx);
    };
  }

  private static Route work(HandlerType method, String path, Handler handler) {
    return new Route(method, path, handler, Admission.WORK);
  }

  private static Route always(HandlerType method, String path, Handler handler) {
    return new Route(method, path, handler, Admission.ALWAYS);
  }
}
