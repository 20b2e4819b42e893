package dev.vigil.server.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.vigil.Vigil;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;

/**
 * Every route of the API, in one table. A route marked {@link Admission#WORK} creates or changes
 * work and is refused with 503 once the server is draining; the others (reads, health, and the
 * heartbeats and reports of jobs already running) are served until the engine stops.
 *
 * <p>The table is declared once, statically ({@link #DECLARED}), each route naming how to reach
 * its handler; a server binds it to its handlers, and the configuration checks {@code open_paths}
 * against it before any server starts ({@link OpenPaths}).
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
  record Route(HandlerType method, String path, Handler handler, Admission admission) {
    /** Whether the route changes anything: any method but GET. */
    boolean changes() {
      return method != GET;
    }
  }

  /** The handlers of one server, for binding the declared table. */
  private record Apis(
      JobsApi jobs,
      WorkersApi workers,
      LanesApi lanes,
      SchedulesApi schedules,
      NodesApi nodes,
      TracesApi traces,
      OpsApi ops,
      HealthApi health,
      MetricsApi metrics,
      ErrorsApi errors,
      HistoryApi history,
      AlertsApi alerts,
      LimitsApi limits,
      LlmApi llm,
      CarbonApi carbon) {}

  /** A route as declared: its handler is found in a server's {@link Apis}. */
  private record Declared(HandlerType method, String path, Admission admission, Function<Apis, Handler> handler) {}

  private static final List<Declared> DECLARED =
      List.of(
          work(POST, "/api/v1/jobs", a -> a.jobs()::enqueue),
          work(POST, "/api/v1/jobs/batch", a -> a.jobs()::enqueueBatch),
          always(GET, "/api/v1/jobs", a -> a.jobs()::list),
          always(GET, "/api/v1/jobs/{id}", a -> a.jobs()::get),
          work(POST, "/api/v1/jobs/{id}/cancel", a -> a.jobs()::cancel),
          work(POST, "/api/v1/jobs/{id}/retry", a -> a.jobs()::retry),
          work(POST, "/api/v1/claim", a -> a.workers()::claim),
          always(POST, "/api/v1/jobs/{id}/heartbeat", a -> a.workers()::heartbeat),
          always(POST, "/api/v1/jobs/{id}/complete", a -> a.workers()::complete),
          always(POST, "/api/v1/jobs/{id}/fail", a -> a.workers()::fail),
          always(GET, "/api/v1/lanes", a -> a.lanes()::list),
          work(POST, "/api/v1/lanes/{name}/pause", a -> a.lanes()::pause),
          work(POST, "/api/v1/lanes/{name}/resume", a -> a.lanes()::resume),
          work(POST, "/api/v1/schedules", a -> a.schedules()::upsert),
          always(GET, "/api/v1/schedules", a -> a.schedules()::list),
          always(GET, "/api/v1/schedules/{name}", a -> a.schedules()::get),
          work(DELETE, "/api/v1/schedules/{name}", a -> a.schedules()::delete),
          always(GET, "/api/v1/nodes", a -> a.nodes()::list),
          always(GET, "/api/v1/limits", a -> a.limits()::list),
          always(GET, "/api/v1/breakers", a -> a.limits()::breakers),
          always(GET, "/api/v1/llm/prices", a -> a.llm()::list),
          always(PUT, "/api/v1/llm/prices", a -> a.llm()::put),
          always(GET, "/api/v1/carbon", a -> a.carbon()::get),
          always(GET, "/api/v1/traces/{correlation_id}", a -> a.traces()::get),
          always(GET, "/api/v1/errors", a -> a.errors()::list),
          always(GET, "/api/v1/errors/{id}", a -> a.errors()::get),
          always(POST, "/api/v1/errors/{id}/resolve", a -> a.errors()::resolve),
          always(POST, "/api/v1/errors/{id}/ignore", a -> a.errors()::ignore),
          always(POST, "/api/v1/errors/{id}/unresolve", a -> a.errors()::unresolve),
          always(GET, "/api/v1/stats", a -> a.ops()::stats),
          always(GET, "/health", a -> a.health()::health),
          always(GET, "/health/live", a -> a.health()::live),
          always(GET, "/health/ready", a -> a.health()::ready),
          always(GET, "/health/detailed", a -> a.health()::detailed),
          always(GET, "/metrics", a -> a.metrics()::scrape),
          always(GET, "/api/v1/metrics/names", a -> a.history()::names),
          always(GET, "/api/v1/metrics/query", a -> a.history()::query),
          always(GET, "/api/v1/alerts", a -> a.alerts()::list),
          always(GET, "/api/v1/alerts/history", a -> a.alerts()::history),
          always(GET, "/api/v1/alerts/rules", a -> a.alerts()::rules),
          always(GET, "/api/v1/alerts/silences", a -> a.alerts()::silences),
          always(POST, "/api/v1/alerts/silences", a -> a.alerts()::silence),
          always(DELETE, "/api/v1/alerts/silences/{id}", a -> a.alerts()::unsilence),
          always(GET, "/api/openapi.json", a -> a.ops()::openapi));

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
    JobJson.GroupIds groups = ErrorsApi.groupIds(observability.errors())::apply;
    var apis =
        new Apis(
            new JobsApi(vigil, bodies, requests, groups),
            new WorkersApi(vigil, bodies, settings.defaultLease(), groups),
            new LanesApi(vigil),
            new SchedulesApi(vigil, bodies, requests),
            new NodesApi(vigil, InstantSource.system()),
            new TracesApi(vigil),
            new OpsApi(vigil, state),
            new HealthApi(vigil, state, storeHealth, observability),
            new MetricsApi(observability.prometheus()),
            new ErrorsApi(observability.errors(), bodies, vigil.clock()),
            new HistoryApi(observability.history(), InstantSource.system()),
            new AlertsApi(observability.alerts(), bodies, vigil.clock()),
            new LimitsApi(vigil),
            new LlmApi(vigil.prices(), bodies),
            new CarbonApi(observability.history(), observability.process(), InstantSource.system()));
    table = DECLARED.stream().map(d -> new Route(d.method(), d.path(), d.handler().apply(apis), d.admission())).toList();
  }

  /** The table, in declaration order. */
  List<Route> table() {
    return table;
  }

  /** The declared routes without handlers (method and path only), in declaration order. */
  static List<Route> declared() {
    return DECLARED.stream().map(d -> new Route(d.method(), d.path(), null, d.admission())).toList();
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

  private static Declared work(HandlerType method, String path, Function<Apis, Handler> handler) {
    return new Declared(method, path, Admission.WORK, handler);
  }

  private static Declared always(HandlerType method, String path, Function<Apis, Handler> handler) {
    return new Declared(method, path, Admission.ALWAYS, handler);
  }
}
