package dev.vigil.server;

import dev.vigil.carbon.CarbonSettings;
import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.observe.Redactor;
import dev.vigil.observe.health.HealthSettings;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.LimitRule;
import dev.vigil.llm.PriceRow;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.http.HttpLimitSettings;
import dev.vigil.server.http.HttpSettings;
import dev.vigil.server.http.OpenPaths;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a {@link VigilServer} is started with. Immutable; build one with {@link #builder()},
 * or read one from {@code vigil.yaml} and {@code VIGIL_*} environment variables with {@link
 * #load(Path, Map)}. Every key, default and environment variable is listed in {@code
 * docs/configuration.md}.
 *
 * <p>The constructor checks every value and throws {@link ConfigException} naming the first bad
 * key, so an invalid configuration never reaches a running server.
 *
 * @param host the address to listen on; anything but a loopback address needs {@code apiToken}
 * @param port the port to listen on; 0 picks a free port
 * @param apiToken the bearer token every request must carry, or {@code null} for none
 * @param openPaths request paths served without the token (exact, or a prefix ending in {@code /*});
 *     none may cover a route that changes something, nor the whole API ({@link OpenPaths})
 * @param maxBodyBytes the largest request body read, in bytes
 * @param maxConnections the most connections open at once; further ones wait to be accepted
 * @param headerTimeout how long a connection may take to send a request's headers, from its
 *     opening or the end of the previous answer; handlers (long-polling claims) are not bound by it
 * @param dataDir where the SQLite database lives ({@code vigil.db}); unused with PostgreSQL
 * @param store which store holds the jobs: the embedded SQLite file, or a shared PostgreSQL
 * @param postgres how to reach PostgreSQL; its URL is required when {@code store} is {@link
 *     StoreKind#POSTGRES} and refused otherwise
 * @param nodeId this node's name among the nodes sharing a store: the lease owner of the jobs it
 *     runs and its row in {@code GET /api/v1/nodes}
 * @param workers worker slots for jobs run in this process
 * @param leaseDuration how long a lease lasts unless renewed; remote claims may ask for another
 * @param shutdownGrace how long a stop waits for running jobs before giving their leases back
 * @param maxPayloadBytes the largest job payload, in bytes of JSON
 * @param defaultTimeout how long one attempt may run, unless the job says otherwise
 * @param retry attempts and back-off for jobs that fail
 * @param lanes the lanes in priority order, highest first
 * @param logFormat the console log format, or {@code null} for the command's own default ({@code
 *     json} for {@code vigil server}, {@code text} for {@code vigil demo})
 * @param redaction what is masked in logs and stored errors besides the built-in detectors
 * @param metrics which meter registries are fed ({@code metrics.*})
 * @param health the health checks' thresholds and dependency probes ({@code health.*})
 * @param claims bounds on remote workers' leases and waiting claims ({@code claims.*})
 * @param errors how errors are grouped: which frames are in-app ({@code errors.*})
 * @param history how metrics are sampled into the store and how long each resolution is kept
 *     ({@code history.*})
 * @param alerts whether and how often alert rules are evaluated, and their file ({@code alerts.*})
 * @param limits the limits per key ({@code limits:}): rates, units and concurrency
 * @param httpLimits the HTTP rate limits per client and route class ({@code http_limits.*})
 * @param breakers when circuit breakers per job type and limit key open ({@code breakers.*})
 * @param carbon where Vigil runs and how its machine draws power, for energy and carbon estimates
 *     ({@code carbon.*})
 * @param llmPrices LLM price rows that add to or override the shipped defaults ({@code llm.prices})
 */
public record ServerConfig(
    String host,
    int port,
    String apiToken,
    List<String> openPaths,
    long maxBodyBytes,
    int maxConnections,
    Duration headerTimeout,
    Path dataDir,
    StoreKind store,
    PostgresSettings postgres,
    String nodeId,
    int workers,
    Duration leaseDuration,
    Duration shutdownGrace,
    int maxPayloadBytes,
    Duration defaultTimeout,
    RetryPolicy retry,
    List<Lane> lanes,
    LogSetup.Format logFormat,
    RedactionSettings redaction,
    MetricsSettings metrics,
    HealthSettings health,
    ClaimSettings claims,
    ErrorSettings errors,
    HistorySettings history,
    AlertSettings alerts,
    List<LimitRule> limits,
    HttpLimitSettings httpLimits,
    BreakerSettings breakers,
    CarbonSettings carbon,
    List<PriceRow> llmPrices) {

  /** The shortest API token accepted. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  /** Where jobs are stored. */
  public enum StoreKind {
    /** One SQLite file in {@code data_dir}: one node, nothing to set up. */
    SQLITE,
    /** A PostgreSQL database shared by every node. */
    POSTGRES;

    /** The name in configuration: {@code sqlite} or {@code postgres}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code name} (any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static StoreKind of(String name) {
      for (StoreKind k : values()) {
        if (k.wireName().equalsIgnoreCase(name.strip())) {
          return k;
        }
      }
      throw new IllegalArgumentException("must be sqlite or postgres");
    }
  }

  public ServerConfig {
    openPaths = List.copyOf(Objects.requireNonNull(openPaths, "openPaths"));
    lanes = List.copyOf(Objects.requireNonNull(lanes, "lanes"));
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(retry, "retry");
    metrics = metrics == null ? MetricsSettings.DEFAULTS : metrics;
    health = health == null ? HealthSettings.DEFAULTS : health;
    errors = errors == null ? ErrorSettings.DEFAULTS : errors;
    try {
      errors.fingerprinter();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("errors", e.getMessage());
    }
    history = history == null ? HistorySettings.DEFAULTS : history;
    alerts = alerts == null ? AlertSettings.DEFAULTS : alerts;
    limits = limits == null ? List.of() : List.copyOf(limits);
    httpLimits = httpLimits == null ? HttpLimitSettings.DEFAULTS : httpLimits;
    breakers = breakers == null ? BreakerSettings.DEFAULTS : breakers;
    carbon = carbon == null ? CarbonSettings.defaults() : carbon;
    llmPrices = llmPrices == null ? List.of() : List.copyOf(llmPrices);
    Objects.requireNonNull(redaction, "redaction");
    redaction.redactor(); // every pattern, field name and detector name is checked now
    check(host != null && !host.isBlank(), "server.host", "must not be blank");
    check(port >= 0 && port <= 65_535, "server.port", "must be between 0 and 65535 (got " + port + ")");
    if (apiToken != null) {
      check(
          apiToken.length() >= MIN_TOKEN_LENGTH && apiToken.chars().noneMatch(Character::isWhitespace),
          "server.api_token",
          "must be at least " + MIN_TOKEN_LENGTH + " characters without spaces");
    }
    for (int i = 0; i < openPaths.size(); i++) {
      String p = openPaths.get(i);
      String key = "server.open_paths[" + i + "]";
      check(p.startsWith("/"), key, "must start with '/' (got '" + p + "')");
      OpenPaths.refusal(p).ifPresent(reason -> check(false, key, reason));
    }
    check(
        maxPayloadBytes >= 1 && maxPayloadBytes <= 256 << 20,
        "engine.max_payload_bytes",
        "must be between 1 and 268435456 (got " + maxPayloadBytes + ")");
    check(
        maxBodyBytes >= maxPayloadBytes && maxBodyBytes <= 1L << 30,
        "server.max_body_bytes",
        "must be between engine.max_payload_bytes (" + maxPayloadBytes + ") and 1073741824 (got "
            + maxBodyBytes + ")");
    check(
        maxConnections >= 1 && maxConnections <= 1_000_000,
        "server.max_connections",
        "must be between 1 and 1000000 (got " + maxConnections + ")");
    checkMillis(headerTimeout, "server.header_timeout_ms", 100, 600_000);
    checkStore(store, postgres);
    check(nodeId != null && !nodeId.isBlank(), "node_id", "must not be blank");
    check(
        NODE_ID.matcher(nodeId).matches(),
        "node_id",
        "must be 1 to 128 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or digit (got '"
            + shorten(nodeId) + "')");
    check(workers >= 1 && workers <= 10_000, "engine.workers", "must be between 1 and 10000 (got " + workers + ")");
    checkMillis(leaseDuration, "engine.lease_ms", 1_000, 3_600_000);
    checkMillis(claims.maxLease(), "claims.max_lease_ms", 1_000, 86_400_000);
    check(
        leaseDuration.compareTo(claims.maxLease()) <= 0,
        "engine.lease_ms",
        "must not be longer than claims.max_lease_ms (" + claims.maxLease().toMillis() + ")");
    check(
        claims.maxWaiting() >= 1 && claims.maxWaiting() <= 1_000_000,
        "claims.max_waiting",
        "must be between 1 and 1000000 (got " + claims.maxWaiting() + ")");
    check(
        claims.maxWaitingPerWorker() >= 1 && claims.maxWaitingPerWorker() <= claims.maxWaiting(),
        "claims.max_waiting_per_worker",
        "must be between 1 and claims.max_waiting (got " + claims.maxWaitingPerWorker() + ")");
    checkMillis(shutdownGrace, "engine.shutdown_grace_ms", 0, 3_600_000);
    checkMillis(defaultTimeout, "engine.default_timeout_ms", 1, 86_400_000);
    check(!lanes.isEmpty(), "lanes", "at least one lane is required");
    var names = new HashSet<String>();
    for (int i = 0; i < lanes.size(); i++) {
      check(names.add(lanes.get(i).name()), "lanes[" + i + "].name", "duplicate lane '" + lanes.get(i).name() + "'");
    }
  }

  /** The defaults: 127.0.0.1:8080, no token, ./vigil-data, the four default lanes. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the configuration: the YAML file {@code file} (when {@code null}, {@code ./vigil.yaml}
   * if it exists, else nothing), then the {@code VIGIL_*} variables of {@code env} on top.
   *
   * @param env the environment, e.g. {@code System.getenv()}; tests pass their own map
   * @throws ConfigException naming the first bad key or variable, or a file that cannot be read
   */
  public static ServerConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(file, env);
  }

  /**
   * As {@link #load(Path, Map)}, over a command's own defaults: every key that the file and the
   * environment leave unset keeps its value in {@code defaults} rather than the built-in one
   * ({@code vigil demo} gives running jobs 3 s at a stop unless {@code engine.shutdown_grace_ms}
   * says otherwise).
   *
   * @param defaults the values of the keys not set; not changed
   * @throws ConfigException naming the first bad key or variable, or a file that cannot be read
   */
  public static ServerConfig load(Path file, Map<String, String> env, Builder defaults) {
    return ConfigLoader.load(file, env, defaults);
  }

  /**
   * The secrets this configuration holds: the API token, the PostgreSQL password (also as a URL
   * parameter), the InfluxDB token and password, the OTLP header values. Nulls are left out.
   */
  public List<String> secrets() {
    var out = new ArrayList<String>();
    if (apiToken != null) {
      out.add(apiToken);
    }
    out.addAll(postgres.secrets());
    out.addAll(metrics.secrets());
    return out;
  }

  /**
   * The one redactor of this configuration, for every log line and everything the engine stores:
   * the {@code redaction.*} rules, and every configured secret ({@link #secrets()}) masked
   * wherever its text appears ({@link dev.vigil.observe.Redactor.Builder#secret}; those shorter
   * than 8 characters are not).
   */
  public Redactor redactor() {
    return redaction.redactor(secrets());
  }

  /** A builder holding this configuration's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same, without the API token's value. */
  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", apiToken=" + (apiToken == null ? "none" : "***")
        + ", openPaths=" + openPaths + ", maxBodyBytes=" + maxBodyBytes
        + ", maxConnections=" + maxConnections + ", headerTimeout=" + headerTimeout + ", dataDir=" + dataDir
        + ", store=" + store.wireName() + ", postgres=" + postgres + ", nodeId=" + nodeId
        + ", workers=" + workers + ", leaseDuration=" + leaseDuration + ", shutdownGrace=" + shutdownGrace
        + ", maxPayloadBytes=" + maxPayloadBytes + ", defaultTimeout=" + defaultTimeout + ", retry=" + retry
        + ", lanes=" + lanes + ", logFormat=" + (logFormat == null ? "default" : logFormat.wireName())
        + ", redaction=" + redaction + ", metrics=" + metrics + ", health=" + health + ", claims=" + claims
        + ", errors=" + errors + ", history=" + history + ", alerts=" + alerts + ", limits=" + limits + ", httpLimits=" + httpLimits
        + ", breakers=" + breakers + ", carbon=" + carbon + ", llmPrices=" + llmPrices.size() + " rows]";
  }

  private static void check(boolean ok, String key, String reason) {
    if (!ok) {
      throw new ConfigException(key, reason);
    }
  }

  /**
   * PostgreSQL settings are checked whatever the store, so a bad value never waits for the day the
   * store changes; a URL is required with PostgreSQL and refused with SQLite, where it would be
   * silently ignored (a "cluster" of nodes each on its own SQLite file).
   */
  private static void checkStore(StoreKind store, PostgresSettings pg) {
    String url = pg.url();
    if (store == StoreKind.POSTGRES) {
      check(url != null && !url.isBlank(), "postgres.url", "is required when store is postgres (VIGIL_POSTGRES_URL)");
    } else {
      check(url == null, "postgres.url", "is set but store is sqlite; set store: postgres (VIGIL_STORE=postgres) to use it");
    }
    // never echo a URL: it may carry a password parameter
    for (String key : new String[] {"postgres.url", "postgres.listen_url"}) {
      String u = key.equals("postgres.url") ? url : pg.listenUrl();
      if (u != null) {
        check(
            u.startsWith(PostgresSettings.URL_PREFIX) && u.length() > PostgresSettings.URL_PREFIX.length(),
            key,
            "must be a jdbc:postgresql://host:port/database URL");
      }
    }
    check(
        pg.poolSize() >= 1 && pg.poolSize() <= 1_000,
        "postgres.pool_size",
        "must be between 1 and 1000 (got " + pg.poolSize() + ")");
    checkMillis(pg.statementTimeout(), "postgres.statement_timeout_ms", 1, 600_000);
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private static void checkMillis(Duration d, String key, long min, long max) {
    check(d != null, key, "is required");
    long ms = d.toMillis();
    check(ms >= min && ms <= max, key, "must be between " + min + " and " + max + " (got " + ms + ")");
  }

  /**
   * The host name and process id: unique per process on a host, readable in listings. Characters
   * a node id does not allow (a host name never has them) become {@code -}.
   */
  static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    String id = host.replaceAll("[^A-Za-z0-9._:@-]", "-") + "-" + ProcessHandle.current().pid();
    if (id.length() > 128) {
      id = id.substring(id.length() - 128); // keep the pid
    }
    return id.replaceFirst("^[^A-Za-z0-9]+", "");
  }

  /** Builds a {@link ServerConfig}; every value starts at its default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private String apiToken;
    private List<String> openPaths = List.of("/health/live", "/metrics");
    private Long maxBodyBytes;
    private int maxConnections = HttpSettings.DEFAULT_MAX_CONNECTIONS;
    private Duration headerTimeout = HttpSettings.DEFAULT_HEADER_TIMEOUT;
    private Path dataDir = Path.of("vigil-data");
    private StoreKind store = StoreKind.SQLITE;
    private PostgresSettings postgres = PostgresSettings.DEFAULTS;
    private String nodeId;
    private int workers = 16;
    private Duration leaseDuration = Duration.ofSeconds(30);
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private int maxPayloadBytes = 1 << 20;
    private Duration defaultTimeout = Duration.ofSeconds(15);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private List<Lane> lanes = Lane.DEFAULTS;
    private LogSetup.Format logFormat;
    private RedactionSettings redaction = RedactionSettings.DEFAULTS;
    private MetricsSettings metrics = MetricsSettings.DEFAULTS;
    private HealthSettings health = HealthSettings.DEFAULTS;
    private ClaimSettings claims = ClaimSettings.DEFAULTS;
    private ErrorSettings errors = ErrorSettings.DEFAULTS;
    private HistorySettings history = HistorySettings.DEFAULTS;
    private AlertSettings alerts = AlertSettings.DEFAULTS;
    private List<LimitRule> limits = List.of();
    private HttpLimitSettings httpLimits = HttpLimitSettings.DEFAULTS;
    private BreakerSettings breakers = BreakerSettings.DEFAULTS;
    private CarbonSettings carbon = CarbonSettings.defaults();
    private List<PriceRow> llmPrices = List.of();

    private Builder() {}

    private Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      apiToken = c.apiToken;
      openPaths = c.openPaths;
      maxBodyBytes = c.maxBodyBytes;
      maxConnections = c.maxConnections;
      headerTimeout = c.headerTimeout;
      dataDir = c.dataDir;
      store = c.store;
      postgres = c.postgres;
      nodeId = c.nodeId;
      workers = c.workers;
      leaseDuration = c.leaseDuration;
      shutdownGrace = c.shutdownGrace;
      maxPayloadBytes = c.maxPayloadBytes;
      defaultTimeout = c.defaultTimeout;
      retry = c.retry;
      lanes = c.lanes;
      logFormat = c.logFormat;
      redaction = c.redaction;
      metrics = c.metrics;
      health = c.health;
      claims = c.claims;
      errors = c.errors;
      history = c.history;
      alerts = c.alerts;
      limits = c.limits;
      httpLimits = c.httpLimits;
      breakers = c.breakers;
      carbon = c.carbon;
      llmPrices = c.llmPrices;
    }

    /** Default {@code 127.0.0.1}. */
    public Builder host(String v) { host = v; return this; }

    /** Default 8080; 0 picks a free port. */
    public Builder port(int v) { port = v; return this; }

    /** Default none: no authentication (allowed on loopback addresses only). */
    public Builder apiToken(String v) { apiToken = v; return this; }

    /** Default {@code /health/live} and {@code /metrics}. */
    public Builder openPaths(List<String> v) { openPaths = v; return this; }

    /** Default twice the payload limit (2 MiB). */
    public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }

    /** Default 1000. */
    public Builder maxConnections(int v) { maxConnections = v; return this; }

    /** Default 20 s. */
    public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }

    /** Default {@code ./vigil-data}. */
    public Builder dataDir(Path v) { dataDir = v; return this; }

    /** Default {@link StoreKind#SQLITE}. */
    public Builder store(StoreKind v) { store = v; return this; }

    /** Default {@link PostgresSettings#DEFAULTS}: no URL, a pool of 10, a 5 s statement timeout. */
    public Builder postgres(PostgresSettings v) { postgres = v; return this; }

    /** Default the host name and process id, e.g. {@code web-3-41872}. */
    public Builder nodeId(String v) { nodeId = v; return this; }

    /** Default 16. */
    public Builder workers(int v) { workers = v; return this; }

    /** Default 30 s. */
    public Builder leaseDuration(Duration v) { leaseDuration = v; return this; }

    /** Default 30 s. */
    public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }

    /** Default 1 MiB. */
    public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }

    /** Default 15 s. */
    public Builder defaultTimeout(Duration v) { defaultTimeout = v; return this; }

    /** Default 3 attempts, 30 s to 10 min. */
    public Builder retry(RetryPolicy v) { retry = v; return this; }

    /** Default {@link Lane#DEFAULTS}. */
    public Builder lanes(List<Lane> v) { lanes = v; return this; }

    /** Default null: the command decides ({@code json} for {@code vigil server}, {@code text} for the demo). */
    public Builder logFormat(LogSetup.Format v) { logFormat = v; return this; }

    /** Default {@link RedactionSettings#DEFAULTS}: the built-in detectors and JSON fields only. */
    public Builder redaction(RedactionSettings v) { redaction = v; return this; }

    /** Default {@link MetricsSettings#DEFAULTS}: Prometheus at {@code /metrics} with the JVM meters. */
    public Builder metrics(MetricsSettings v) { metrics = v; return this; }

    /** Default {@link HealthSettings#DEFAULTS}, no probes. */
    public Builder health(HealthSettings v) { health = v; return this; }

    /** Default {@link ClaimSettings#DEFAULTS}: 10 min leases at most, 1,000 waiting claims, 16 per worker. */
    public Builder claims(ClaimSettings v) { claims = v; return this; }
    /** Default {@link ErrorSettings#DEFAULTS}: the fingerprinter's own in-app rules. */
    public Builder errors(ErrorSettings v) { errors = v; return this; }

    /** Default {@link HistorySettings#DEFAULTS}: every 10 s, raw 48 h, minutes 30 days, hours 400 days. */
    public Builder history(HistorySettings v) { history = v; return this; }

    /** Default {@link AlertSettings#DEFAULTS}: on, {@code alerts.yaml} in the working directory, every 15 s. */
    public Builder alerts(AlertSettings v) { alerts = v; return this; }

    /** Default none: keys limit nothing. */
    public Builder limits(List<LimitRule> v) { limits = List.copyOf(v); return this; }
    /** Default {@link HttpLimitSettings#DEFAULTS}: on unless the host is a loopback address; 1200 reads, 600 writes, 6000 claims a minute per client. */
    public Builder httpLimits(HttpLimitSettings v) { httpLimits = v; return this; }

    /** Default {@link BreakerSettings#DEFAULTS}: on, half of the last 20 attempts within 60 s, open 30 s doubling to 5 min. */
    public Builder breakers(BreakerSettings v) { breakers = v; return this; }

    /** Default {@link CarbonSettings#defaults()}: world-average grid, PUE 1.0, 10 W per core, 0.375 W/GB, 70B unknown models. */
    public Builder carbon(CarbonSettings v) { carbon = v; return this; }
    /** Default none: the shipped default prices only. */
    public Builder llmPrices(List<PriceRow> v) { llmPrices = List.copyOf(v); return this; }

    // what the configuration loader starts from, for the keys a file or the environment leave unset
    PostgresSettings postgres() { return postgres; }

    RetryPolicy retry() { return retry; }

    RedactionSettings redaction() { return redaction; }

    MetricsSettings metrics() { return metrics; }

    HealthSettings health() { return health; }

    ClaimSettings claims() { return claims; }
    ErrorSettings errors() { return errors; }

    HistorySettings history() { return history; }

    AlertSettings alerts() { return alerts; }

    HttpLimitSettings httpLimits() { return httpLimits; }

    BreakerSettings breakers() { return breakers; }

    CarbonSettings carbon() { return carbon; }

    /** A builder holding the same values, to change without touching this one. */
    Builder copy() {
      Builder b = new Builder();
      b.host = host;
      b.port = port;
      b.apiToken = apiToken;
      b.openPaths = openPaths;
      b.maxBodyBytes = maxBodyBytes;
      b.maxConnections = maxConnections;
      b.headerTimeout = headerTimeout;
      b.dataDir = dataDir;
      b.store = store;
      b.postgres = postgres;
      b.nodeId = nodeId;
      b.workers = workers;
      b.leaseDuration = leaseDuration;
      b.shutdownGrace = shutdownGrace;
      b.maxPayloadBytes = maxPayloadBytes;
      b.defaultTimeout = defaultTimeout;
      b.retry = retry;
      b.lanes = lanes;
      b.logFormat = logFormat;
      b.redaction = redaction;
      b.metrics = metrics;
      b.health = health;
      b.claims = claims;
      b.errors = errors;
      b.history = history;
      b.alerts = alerts;
      b.limits = limits;
      b.httpLimits = httpLimits;
      b.breakers = breakers;
      b.carbon = carbon;
      b.llmPrices = llmPrices;
      return b;
    }

    /**
     * Checks and builds the configuration.
     *
     * @throws ConfigException naming the first bad key
     */
    public ServerConfig build() {
      long body = maxBodyBytes != null ? maxBodyBytes : 2L * maxPayloadBytes;
      return new ServerConfig(
          host, port, apiToken, openPaths, body, maxConnections, headerTimeout, dataDir, store, postgres,
          nodeId != null ? nodeId : defaultNodeId(), workers, leaseDuration, shutdownGrace,
          maxPayloadBytes, defaultTimeout, retry, lanes, logFormat, redaction, metrics, health, claims, errors,
          history, alerts, limits, httpLimits, breakers, carbon, llmPrices);
    }
  }
}
