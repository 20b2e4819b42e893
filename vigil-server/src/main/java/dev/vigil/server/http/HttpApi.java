package dev.vigil.server.http;

import dev.vigil.Vigil;
import dev.vigil.job.WorkerClaim;
import dev.vigil.server.http.ApiRoutes.Route;
import dev.vigil.server.http.ServerState.Phase;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Vigil's HTTP API on Javalin: the routes of {@link ApiRoutes}, bearer-token auth, problem+json
 * errors, request handling on virtual threads. Long-polling claims park a virtual thread, not a
 * platform one; the connector's idle timeout outlasts the longest claim wait.
 *
 * <p>What a request meets, in order: the connection limit ({@code max_connections}: beyond it,
 * connections wait to be accepted); the header deadline ({@link HeaderTimeout}); Jetty's parser,
 * whose refusals are problem+json ({@link ProtocolErrors}); the headers every answer carries
 * ({@link ResponseHeaders}); without a token, the loopback guard ({@link LoopbackGuard}); the
 * bearer token ({@link BearerAuth}, {@link OpenPaths}); then the route: its rate limit ({@link
 * HttpRateLimits}), then its handler, which reads and checks the body with {@link JsonBodies}.
 *
 * <p>Lifecycle: {@link #start} listens at once but reports {@code starting} until {@link
 * #ready()}; {@link #draining()} fails readiness and refuses new work with 503 while running jobs
 * finish; {@link #stop()} closes the listener.
 */
public final class HttpApi {
  private static final Duration IDLE_TIMEOUT = WorkerClaim.MAX_WAIT.plusSeconds(30);

  private final Javalin app;
  private final ServerState state;

  private HttpApi(Javalin app, ServerState state) {
    this.app = app;
    this.state = state;
  }

  /** How long readiness waits for the store to answer before calling it down. */
  public static final Duration STORE_CHECK_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Starts listening on {@code settings.host():settings.port()}; readiness probes the store with a
   * trivial read.
   *
   * @throws io.javalin.util.JavalinBindException if the address cannot be bound
   */
  public static HttpApi start(Vigil vigil, HttpSettings settings) {
    return start(vigil, settings, () -> vigil.store().lanePauses());
  }

  /**
   * Starts listening on {@code settings.host():settings.port()}.
   *
   * @param storeProbe a round trip to the store that throws when it cannot answer; readiness runs
   *     it (one at a time, at most every 250 ms) and reports the store down when it throws or takes
   *     longer than {@link #STORE_CHECK_TIMEOUT}
   * @throws io.javalin.util.JavalinBindException if the address cannot be bound
   */
  public static HttpApi start(Vigil vigil, HttpSettings settings, Runnable storeProbe) {
    return start(vigil, settings, storeProbe, Observability.NONE);
  }

  /**
   * As {@link #start(Vigil, HttpSettings, Runnable)}, with metrics ({@code GET /metrics} and the
   * HTTP request meters) and the health checks of {@code observability}.
   */
  public static HttpApi start(Vigil vigil, HttpSettings settings, Runnable storeProbe, Observability observability) {
    var state = new ServerState();
    var routes =
        new ApiRoutes(vigil, settings, state, new StoreHealth(storeProbe, STORE_CHECK_TIMEOUT), observability);
    var httpMeters =
        observability.registry() == null
            ? null
            : new HttpMeters(
                observability.registry(),
                routes.table().stream().map(Route::path).collect(java.util.stream.Collectors.toSet()));
    var problems = new ProblemMapper(state);
    var auth = new BearerAuth(settings.apiToken(), settings.openPaths());
    var limits = HttpRateLimits.of(settings, observability.registry());
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = settings.maxBodyBytes();
              config.jetty.addConnector((server, http) -> connector(server, http, settings));
              var protocolErrors = new ProtocolErrors();
              config.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(protocolErrors);
                    server.insertHandler(new ResponseHeaders());
                  });
              config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(protocolErrors));
              config.routes.before(Correlation::begin);
              if (httpMeters != null) {
                config.requestLogger.http(httpMeters);
              }
              if (settings.apiToken() == null) {
                config.routes.before(new LoopbackGuard());
              }
              config.routes.before(auth);
              config.routes.after(Correlation::end);
              for (Route route : routes.table()) {
                config.routes.addHttpHandler(
                    route.method(), route.path(), limits.guard(route.method(), route.path(), routes.handlerFor(route)));
              }
              config.routes.exception(HttpResponseException.class, problems::handle);
              config.routes.exception(Exception.class, problems::handle);
              config.router.javaLangErrorHandler(problems::handleError);
            });
    app.start();
    return new HttpApi(app, state);
  }

  /**
   * The one connector: its idle timeout outlasts the longest claim wait, the connection limit
   * applies to it, and each of its connections gets a header deadline. Javalin asks for connectors
   * after it attached its own handlers, so the deadline's handler inserted here is the first a
   * request meets.
   */
  private static ServerConnector connector(Server server, HttpConfiguration http, HttpSettings settings) {
    http.setSendServerVersion(false);
    var connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    var headerTimeout = new HeaderTimeout(settings.headerTimeout(), server.getScheduler());
    connector.addBean(headerTimeout.listener());
    server.insertHandler(headerTimeout.handler());
    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
    return connector;
  }

  static StoreHealth defaultStoreHealth(Vigil vigil) {
    return new StoreHealth(() -> vigil.store().lanePauses(), STORE_CHECK_TIMEOUT);
  }

  /** The port listened on (the one picked, when 0 was asked). */
  public int port() {
    return app.port();
  }

  /** Reports ready: readiness answers 200 and work is accepted. */
  public void ready() {
    state.phase(Phase.READY);
  }

  /** Starts draining: readiness answers 503 {@code draining}; new jobs and claims get 503. */
  public void draining() {
    state.phase(Phase.DRAINING);
  }

  /** Stops listening; requests in flight are cut short. Idempotent. */
  public void stop() {
    state.phase(Phase.STOPPED);
    app.stop();
  }
}
