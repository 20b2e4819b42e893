package dev.vigil.server;

import dev.vigil.Vigil;
import dev.vigil.llm.PriceTable;
import dev.vigil.observe.errors.ErrorGroups;
import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.history.MetricHistory;
import dev.vigil.server.http.HttpApi;
import dev.vigil.server.http.HttpSettings;
import dev.vigil.store.JobStore;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Vigil server: the engine on its store (the embedded SQLite file {@code
 * data_dir/vigil.db}, or a PostgreSQL database shared with other nodes), and the HTTP API of
 * {@code API.md} in front of it. The engine runs as {@code node_id}: the lease owner of the jobs
 * it runs and its name in {@code GET /api/v1/nodes}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.load(null, System.getenv());
 * VigilServer server = VigilServer.start(config, engine -> engine.handler("echo", ctx -> {}))
 *     .installShutdownHook();
 * server.awaitTermination();
 * }</pre>
 *
 * <p>Without handlers (plain {@code vigil server}) the engine runs nothing itself and every job
 * waits for a remote worker's claim.
 *
 * <p>{@link #close()} stops gracefully: readiness fails at once ({@code draining}) and new jobs
 * and claims are refused with 503, waiting long-poll claims return empty, running jobs get the
 * shutdown grace period to finish (remote workers may still heartbeat and report), the leases of
 * jobs still running after it are given back so they run again elsewhere, then the listener
 * closes. Thread-safe; the first call does the work and later ones wait for it.
 */
public final class VigilServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VigilServer.class);

  private final ServerConfig config;
  private final Vigil vigil;
  private final HttpApi api;
  private final ServerMeters meters;
  private final OperatorLoop loop;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean stopping;

  private VigilServer(ServerConfig config, Vigil vigil, HttpApi api, ServerMeters meters, OperatorLoop loop) {
    this.config = config;
    this.vigil = vigil;
    this.api = api;
    this.meters = meters;
    this.loop = loop;
  }

  /** Starts a server with no in-process handlers. */
  public static VigilServer start(ServerConfig config) {
    return start(config, engine -> {});
  }

  /**
   * Starts the engine and the HTTP API.
   *
   * @param customiser called with the engine's builder after the configuration was applied, to
   *     register handlers or change settings before the engine starts
   * @throws ConfigException if the host is not a loopback address and no API token is set, or the
   *     address cannot be listened on
   */
  public static VigilServer start(ServerConfig config, Consumer<Vigil.Builder> customiser) {
    requireTokenOffLoopback(config);
    ServerMeters meters = ServerMeters.start(config.metrics(), config.nodeId());
    JobStore store;
    Vigil vigil;
    try {
      store = Stores.open(config, meters.registry());
    } catch (RuntimeException e) {
      meters.close();
      throw e;
    }
    try {
      Vigil.Builder builder =
          engineBuilder(config).store(store).prices(prices(config, store)).carbon(config.carbon());
      if (meters.registry() != null) {
        builder.meterRegistry(meters.registry());
      }
      customiser.accept(builder);
      vigil = builder.start();
    } catch (RuntimeException e) {
      store.close();
      meters.close();
      throw e;
    }
    AtomicReference<String> url = new AtomicReference<>("http://" + config.host() + ":" + config.port());
    OperatorLoop loop;
    try {
      loop = OperatorLoop.start(config, vigil, meters, url::get);
    } catch (RuntimeException e) {
      vigil.close();
      meters.close();
      throw e;
    }
    HttpApi api;
    try {
      api = HttpApi.start(vigil, httpSettings(config), Stores.probe(store), loop.observability(config, meters));
    } catch (RuntimeException e) {
      loop.close();
      vigil.close();
      meters.close();
      throw bindFailure(config, e);
    }
    api.ready();
    var server = new VigilServer(config, vigil, api, meters, loop);
    url.set(server.url());
    log.info("vigil server {} listening on {} ({})", config.nodeId(), server.url(), Stores.describe(config));
    return server;
  }

  /** The port listened on; the one picked when the configuration said 0. */
  public int port() {
    return api.port();
  }

  /** The base URL of the API, e.g. {@code http://127.0.0.1:8080}; a wildcard host shows as 127.0.0.1. */
  public String url() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** The error groups of this server, or null when its store keeps none. */
  public ErrorGroups errorGroups() {
    return loop.errors();
  }

  /** The engine behind the API, to enqueue or inspect jobs in-process. */
  public Vigil vigil() {
    return vigil;
  }

  public ServerConfig config() {
    return config;
  }

  /**
   * The metric history of this server's store, to query from Java as {@code GET
   * /api/v1/metrics/query} does; empty when history or metrics are off.
   */
  public Optional<MetricHistory> metricHistory() {
    return Optional.ofNullable(loop.history().history());
  }

  /** Runs now what history has due (a sample, the leader's roll-up and purge), for tests and tools. */
  void runHistoryDueNow() {
    loop.history().runDueNow();
  }

  /**
   * The alert engine of this server, to read its alerts and rules from Java as {@code GET
   * /api/v1/alerts} does; empty when alerting is off.
   */
  public Optional<AlertEngine> alerts() {
    return Optional.ofNullable(loop.alerts().engine());
  }

  /** Runs now what alerting has due (a re-read of the rules file, the leader's evaluation), for tests and tools. */
  void runAlertsDueNow() {
    loop.alerts().runDueNow();
  }

  /** Where the jobs live, e.g. {@code sqlite, data in /var/lib/vigil} or {@code postgres at jdbc:postgresql://db/vigil}. */
  public String storeDescription() {
    return Stores.describe(config);
  }

  /**
   * Stops on SIGTERM or SIGINT: a graceful {@link #close()}, then exit status 0. Falls back to a
   * plain shutdown hook (exit status from the JVM) where signals cannot be handled.
   */
  public VigilServer installShutdownHook() {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("vigil-shutdown").unstarted(this::close));
    Signals.onTermination(
        () -> {
          close();
          System.exit(0);
        });
    return this;
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /** Blocks until the server has stopped or {@code timeoutMillis} passed; true if it stopped. */
  public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The same as {@link #close()}. */
  public void stop() {
    close();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (stopping) {
        awaitQuietly();
        return;
      }
      stopping = true;
    }
    try {
      log.info("vigil server draining (grace {} ms)", config.shutdownGrace().toMillis());
      api.draining();
      try {
        // while the store is open: what is queued is written; attempts ending during the drain
        // below are stored with their jobs but not counted in groups
        loop.close();
        vigil.close();
      } finally {
        api.stop();
        meters.close();
      }
      log.info("vigil server stopped");
    } finally {
      stopped.countDown();
    }
  }

  private void awaitQuietly() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Vigil.Builder engineBuilder(ServerConfig c) {
    return Vigil.builder()
        .lanes(c.lanes())
        .workers(c.workers())
        .leaseDuration(c.leaseDuration())
        .maxClaimLease(c.claims().maxLease())
        .maxWaitingClaims(c.claims().maxWaiting(), c.claims().maxWaitingPerWorker())
        .shutdownGrace(c.shutdownGrace())
        .maxPayloadBytes(c.maxPayloadBytes())
        .timeout(c.defaultTimeout())
        .retryPolicy(c.retry())
        .workerId(c.nodeId())
        .limits(c.limits())
        .breakers(c.breakers())
        .redactor(c.redactor());
  }

  /**
   * The shipped default prices with the configured rows ({@code llm.prices}) as overrides, then
   * the rows put through the API and kept in the store (which replace configured rows of the same
   * key); later PUTs are written to the store.
   */
  private static PriceTable prices(ServerConfig c, JobStore store) {
    PriceTable table = PriceTable.withDefaults();
    table.put(c.llmPrices());
    return table.storedIn(Stores.prices(store));
  }

  private static HttpSettings httpSettings(ServerConfig c) {
    return new HttpSettings(
        c.host(), c.port(), c.apiToken(), c.openPaths(), c.maxBodyBytes(), c.maxPayloadBytes(), c.leaseDuration(),
        c.maxConnections(), c.headerTimeout(), c.httpLimits());
  }

  private static void requireTokenOffLoopback(ServerConfig config) {
    if (config.apiToken() != null) {
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(config.host()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("server.host", "unknown host '" + config.host() + "'");
    }
    if (!loopback) {
      throw new ConfigException(
          "server.host",
          "listening on " + config.host() + " (not a loopback address) requires server.api_token (VIGIL_API_TOKEN)");
    }
  }

  private static RuntimeException bindFailure(ServerConfig config, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new ConfigException(
            "server.port", "cannot listen on " + config.host() + ":" + config.port() + " (" + t.getMessage() + ")");
      }
    }
    return e;
  }

  /** Where the database lives under a data directory. */
  static Path databaseFile(Path dataDir) {
    return Stores.databaseFile(dataDir);
  }
}
