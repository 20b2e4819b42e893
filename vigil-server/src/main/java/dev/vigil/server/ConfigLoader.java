package dev.vigil.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.observe.history.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@link ServerConfig} from {@code vigil.yaml} and {@code VIGIL_*} environment variables
 * (which win). The file's keys are nested YAML mappings ({@code server.port} is {@code port}
 * under {@code server}); unknown keys are errors, so a typo never silently leaves a default in
 * place. The first problem found is thrown as a one-line {@link ConfigException}. The keys are
 * documented in {@code docs/configuration.md}; keep that page in step with {@link #ENV}.
 */
final class ConfigLoader {
  /** The file read when none is named, if it exists. */
  static final Path DEFAULT_FILE = Path.of("vigil.yaml");

  /** Environment variable → the key it overrides. */
  static final Map<String, String> ENV = env();

  private static final Set<String> ROOT_KEYS =
      Set.of("server", "data_dir", "store", "postgres", "node_id", "engine", "retry", "lanes", "logging", "redaction", "metrics", "health", "claims", "errors", "history", "alerts", "limits", "http_limits", "breakers", "carbon", "llm");
  private static final Set<String> SERVER_KEYS = Set.of("host", "port", "api_token", "open_paths", "max_body_bytes", "max_connections", "header_timeout_ms");
  private static final Set<String> ENGINE_KEYS =
      Set.of("workers", "lease_ms", "shutdown_grace_ms", "max_payload_bytes", "default_timeout_ms");
  private static final Set<String> POSTGRES_KEYS =
      Set.of("url", "listen_url", "user", "password", "pool_size", "statement_timeout_ms");
  private static final Set<String> RETRY_KEYS = Set.of("max_attempts", "base_ms", "cap_ms");
  private static final Set<String> CLAIM_KEYS = Set.of("max_lease_ms", "max_waiting", "max_waiting_per_worker");
  private static final Set<String> ERROR_KEYS = Set.of("in_app_exclude", "in_app_include");
  private static final Set<String> LOGGING_KEYS = Set.of("format");
  private static final Set<String> REDACTION_KEYS = Set.of("patterns", "json_fields", "disabled_detectors");
  private static final Set<String> LANE_KEYS =
      Set.of("name", "weight", "max_concurrency", "reserved", "capacity", "paused", "target_wait", "max_ready", "protected");
  private static final Pattern LANE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private ConfigLoader() {}

  static ServerConfig load(Path file, Map<String, String> env) {
    return load(file, env, ServerConfig.builder());
  }

  /** As {@link #load(Path, Map)}, over {@code defaults} (left unchanged) instead of the built-in defaults. */
  static ServerConfig load(Path file, Map<String, String> env, ServerConfig.Builder defaults) {
    ConfigTree tree = new ConfigTree(readFile(file));
    tree.requireKnownKeys("", ROOT_KEYS);
    tree.requireKnownKeys("server", SERVER_KEYS);
    tree.requireKnownKeys("postgres", POSTGRES_KEYS);
    tree.requireKnownKeys("engine", ENGINE_KEYS);
    tree.requireKnownKeys("retry", RETRY_KEYS);
    tree.requireKnownKeys("claims", CLAIM_KEYS);
    tree.requireKnownKeys("errors", ERROR_KEYS);
    ObserveConfig.requireKnownKeys(tree);
    HistoryConfig.requireKnownKeys(tree);
    tree.requireKnownKeys("logging", LOGGING_KEYS);
    tree.requireKnownKeys("redaction", REDACTION_KEYS);
    ENV.forEach(
        (variable, key) -> {
          String value = env.get(variable);
          if (value != null && !value.isEmpty()) {
            tree.override(key, value, variable);
          }
        });
    ServerConfig.Builder b = defaults.copy();
    tree.text("server.host").ifPresent(b::host);
    tree.int32("server.port").ifPresent(b::port);
    tree.text("server.api_token").ifPresent(b::apiToken);
    tree.textList("server.open_paths").ifPresent(b::openPaths);
    tree.integer("server.max_body_bytes").ifPresent(b::maxBodyBytes);
    tree.int32("server.max_connections").ifPresent(b::maxConnections);
    tree.integer("server.header_timeout_ms").ifPresent(v -> b.headerTimeout(Duration.ofMillis(v)));
    tree.text("data_dir").map(Path::of).ifPresent(b::dataDir);
    tree.text("store").ifPresent(v -> b.store(storeKind(v, tree)));
    b.postgres(postgres(tree, b.postgres()));
    tree.text("node_id").ifPresent(b::nodeId);
    tree.int32("engine.workers").ifPresent(b::workers);
    tree.integer("engine.lease_ms").ifPresent(v -> b.leaseDuration(Duration.ofMillis(v)));
    tree.integer("engine.shutdown_grace_ms").ifPresent(v -> b.shutdownGrace(Duration.ofMillis(v)));
    tree.int32("engine.max_payload_bytes").ifPresent(b::maxPayloadBytes);
    tree.integer("engine.default_timeout_ms").ifPresent(v -> b.defaultTimeout(Duration.ofMillis(v)));
    b.retry(retry(tree, b.retry()));
    ClaimSettings c = b.claims();
    b.claims(
        new ClaimSettings(
            Duration.ofMillis(tree.integer("claims.max_lease_ms").orElse(c.maxLease().toMillis())),
            tree.int32("claims.max_waiting").orElse(c.maxWaiting()),
            tree.int32("claims.max_waiting_per_worker").orElse(c.maxWaitingPerWorker())));
    ErrorSettings grouping = b.errors();
    b.errors(
        new ErrorSettings(
            tree.textList("errors.in_app_exclude").orElse(grouping.inAppExclude()),
            tree.textList("errors.in_app_include").orElse(grouping.inAppInclude())));
    b.metrics(ObserveConfig.metrics(tree, b.metrics()));
    b.health(ObserveConfig.health(tree, b.health()));
    b.history(HistoryConfig.history(tree, b.history()));
    b.alerts(AlertsConfig.alerts(tree, b.alerts(), file));
    b.httpLimits(HttpLimitsConfig.httpLimits(tree, b.httpLimits()));
    b.breakers(BreakersConfig.breakers(tree, b.breakers()));
    b.carbon(CarbonConfig.carbon(tree, b.carbon()));
    b.llmPrices(LlmConfig.prices(tree));
    tree.text("logging.format").ifPresent(v -> b.logFormat(logFormat(v, tree)));
    RedactionSettings r = b.redaction();
    b.redaction(
        new RedactionSettings(
            patterns(tree).orElse(r.patterns()),
            tree.textList("redaction.json_fields").orElse(r.jsonFields()),
            tree.textList("redaction.disabled_detectors").orElse(r.disabledDetectors())));
    JsonNode limits = tree.node("limits");
    if (limits != null && !limits.isNull()) {
      b.limits(LimitsConfig.limits(limits));
    }
    JsonNode lanes = tree.node("lanes");
    if (lanes != null && !lanes.isNull()) {
      b.lanes(lanes(lanes));
    }
    try {
      return b.build();
    } catch (ConfigException e) {
      throw new ConfigException(tree.label(e.key()), e.reason());
    }
  }

  private static ObjectNode readFile(Path file) {
    Path path = file;
    if (path == null) {
      if (!Files.isRegularFile(DEFAULT_FILE)) {
        return ConfigTree.emptyRoot();
      }
      path = DEFAULT_FILE;
    }
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(path.toString(), "no such file");
    }
    JsonNode root;
    try {
      root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(path.toFile());
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("syntax error");
      throw new ConfigException(path.toString(), "not valid YAML" + where + ": " + why);
    } catch (NoSuchFileException e) {
      throw new ConfigException(path.toString(), "no such file");
    } catch (IOException e) {
      throw new ConfigException(path.toString(), "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return ConfigTree.emptyRoot();
    }
    if (!(root instanceof ObjectNode object)) {
      throw new ConfigException(path.toString(), "must be a YAML mapping of keys");
    }
    return object;
  }

  private static ServerConfig.StoreKind storeKind(String value, ConfigTree tree) {
    try {
      return ServerConfig.StoreKind.of(value);
    } catch (IllegalArgumentException e) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
      throw new ConfigException(tree.label("store"), "must be sqlite or postgres (got '" + shown + "')");
    }
  }

  private static PostgresSettings postgres(ConfigTree tree, PostgresSettings base) {
    PostgresSettings pg = base;
    pg = pg.withUrl(tree.text("postgres.url").map(String::strip).orElse(base.url()));
    pg = pg.withListenUrl(tree.text("postgres.listen_url").map(String::strip).orElse(base.listenUrl()));
    pg = pg.withCredentials(
        tree.text("postgres.user").orElse(base.user()), tree.text("postgres.password").orElse(base.password()));
    pg = pg.withPoolSize(tree.int32("postgres.pool_size").orElse(pg.poolSize()));
    long timeout = tree.integer("postgres.statement_timeout_ms").orElse(pg.statementTimeout().toMillis());
    return pg.withStatementTimeout(Duration.ofMillis(timeout));
  }

  private static LogSetup.Format logFormat(String value, ConfigTree tree) {
    try {
      return LogSetup.Format.of(value);
    } catch (IllegalArgumentException e) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
      throw new ConfigException(tree.label("logging.format"), "must be json or text (got '" + shown + "')");
    }
  }

  /** Regular expressions may hold commas, so they come only as a YAML list, never split. */
  private static java.util.Optional<List<String>> patterns(ConfigTree tree) {
    JsonNode v = tree.node("redaction.patterns");
    if (v == null || v.isNull()) {
      return java.util.Optional.empty();
    }
    if (!v.isArray()) {
      throw new ConfigException("redaction.patterns", "must be a list of regular expressions");
    }
    var out = new ArrayList<String>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new ConfigException("redaction.patterns", "must be a list of regular expressions");
      }
      out.add(item.textValue());
    }
    return java.util.Optional.of(out);
  }

  private static RetryPolicy retry(ConfigTree tree, RetryPolicy d) {
    int attempts = tree.int32("retry.max_attempts").orElse(d.maxAttempts());
    long base = tree.integer("retry.base_ms").orElse(d.base().toMillis());
    long cap = tree.integer("retry.cap_ms").orElse(d.cap().toMillis());
    if (attempts < 1 || attempts > RetryPolicy.MAX_ATTEMPTS_LIMIT) {
      throw new ConfigException(tree.label("retry.max_attempts"), "must be between 1 and 100 (got " + attempts + ")");
    }
    if (base < 0) {
      throw new ConfigException(tree.label("retry.base_ms"), "must not be negative (got " + base + ")");
    }
    if (cap < base) {
      throw new ConfigException(tree.label("retry.cap_ms"), "must be at least retry.base_ms (" + base + ") (got " + cap + ")");
    }
    return new RetryPolicy(attempts, Duration.ofMillis(base), Duration.ofMillis(cap));
  }

  private static List<Lane> lanes(JsonNode node) {
    if (!node.isArray()) {
      throw new ConfigException("lanes", "must be a list of lanes");
    }
    var lanes = new ArrayList<Lane>();
    for (int i = 0; i < node.size(); i++) {
      lanes.add(lane(node.get(i), "lanes[" + i + "]"));
    }
    return lanes;
  }

  private static Lane lane(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new ConfigException(
          at, "must be a mapping with name, weight, max_concurrency, reserved, capacity, paused, target_wait, max_ready, protected");
    }
    ConfigTree.requireKnownKeys(node, at, LANE_KEYS);
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual()) {
      throw new ConfigException(at + ".name", "is required");
    }
    if (!LANE_NAME.matcher(name.textValue()).matches()) {
      throw new ConfigException(
          at + ".name", "must be lower-case letters, digits, '_' or '-', starting with a letter (got '" + name.textValue() + "')");
    }
    int weight = ConfigTree.int32(node.get("weight"), at + ".weight").orElse(1);
    int reserved = ConfigTree.int32(node.get("reserved"), at + ".reserved").orElse(0);
    int capacity = ConfigTree.int32(node.get("capacity"), at + ".capacity").orElse(10_000);
    int maxConcurrency = limit(node.get("max_concurrency"), at + ".max_concurrency");
    boolean paused = ConfigTree.bool(node.get("paused"), at + ".paused").orElse(false);
    int maxReady = limit(node.get("max_ready"), at + ".max_ready");
    boolean isProtected =
        ConfigTree.bool(node.get("protected"), at + ".protected").orElse(Lane.protectedByDefault(name.textValue()));
    Duration targetWait = targetWait(node.get("target_wait"), at + ".target_wait", name.textValue());
    atLeast(weight, 1, at + ".weight");
    atLeast(reserved, 0, at + ".reserved");
    atLeast(capacity, 1, at + ".capacity");
    atLeast(maxConcurrency, 1, at + ".max_concurrency");
    atLeast(maxReady, 1, at + ".max_ready");
    return new Lane(
        name.textValue(), weight, maxConcurrency, reserved, capacity, paused, targetWait, maxReady, isProtected);
  }

  /** A cap that may be absent, {@code null} or {@code unlimited}: {@link Lane#UNLIMITED}. */
  private static int limit(JsonNode v, String key) {
    boolean unlimited = v == null || v.isNull() || (v.isTextual() && v.textValue().equals("unlimited"));
    return unlimited ? Lane.UNLIMITED : ConfigTree.int32(v, key).getAsInt();
  }

  /** A lane's {@code target_wait}, written with its unit; absent, the default of the lane's name. */
  private static Duration targetWait(JsonNode v, String key, String lane) {
    if (v == null || v.isNull()) {
      return Lane.defaultTargetWait(lane);
    }
    String text = v.isValueNode() ? v.asText() : "";
    Duration d = v.isTextual() ? Durations.parse(text).orElse(null) : null;
    if (d == null) {
      String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
      throw new ConfigException(key, "must be a duration such as 500ms, 10s, 10m or 2h (got '" + shown + "')");
    }
    if (d.toMillis() < 1) {
      throw new ConfigException(key, "must be at least 1ms (got '" + text.strip() + "')");
    }
    return d;
  }

  private static void atLeast(int value, int min, String key) {
    if (value < min) {
      throw new ConfigException(key, "must be at least " + min + " (got " + value + ")");
    }
  }

  private static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_HOST", "server.host");
    m.put("VIGIL_PORT", "server.port");
    m.put("VIGIL_API_TOKEN", "server.api_token");
    m.put("VIGIL_OPEN_PATHS", "server.open_paths");
    m.put("VIGIL_MAX_BODY_BYTES", "server.max_body_bytes");
    m.put("VIGIL_MAX_CONNECTIONS", "server.max_connections");
    m.put("VIGIL_HEADER_TIMEOUT_MS", "server.header_timeout_ms");
    m.put("VIGIL_DATA_DIR", "data_dir");
    m.put("VIGIL_STORE", "store");
    m.put("VIGIL_POSTGRES_URL", "postgres.url");
    m.put("VIGIL_POSTGRES_LISTEN_URL", "postgres.listen_url");
    m.put("VIGIL_POSTGRES_USER", "postgres.user");
    m.put("VIGIL_POSTGRES_PASSWORD", "postgres.password");
    m.put("VIGIL_POSTGRES_POOL_SIZE", "postgres.pool_size");
    m.put("VIGIL_POSTGRES_STATEMENT_TIMEOUT_MS", "postgres.statement_timeout_ms");
    m.put("VIGIL_NODE_ID", "node_id");
    m.put("VIGIL_WORKERS", "engine.workers");
    m.put("VIGIL_LEASE_MS", "engine.lease_ms");
    m.put("VIGIL_SHUTDOWN_GRACE_MS", "engine.shutdown_grace_ms");
    m.put("VIGIL_MAX_PAYLOAD_BYTES", "engine.max_payload_bytes");
    m.put("VIGIL_DEFAULT_TIMEOUT_MS", "engine.default_timeout_ms");
    m.put("VIGIL_CLAIMS_MAX_LEASE_MS", "claims.max_lease_ms");
    m.put("VIGIL_CLAIMS_MAX_WAITING", "claims.max_waiting");
    m.put("VIGIL_CLAIMS_MAX_WAITING_PER_WORKER", "claims.max_waiting_per_worker");
    m.put("VIGIL_ERRORS_IN_APP_EXCLUDE", "errors.in_app_exclude");
    m.put("VIGIL_ERRORS_IN_APP_INCLUDE", "errors.in_app_include");
    m.put("VIGIL_RETRY_MAX_ATTEMPTS", "retry.max_attempts");
    m.put("VIGIL_RETRY_BASE_MS", "retry.base_ms");
    m.put("VIGIL_RETRY_CAP_MS", "retry.cap_ms");
    m.put("VIGIL_LOG_FORMAT", "logging.format");
    m.put("VIGIL_REDACTION_JSON_FIELDS", "redaction.json_fields");
    m.put("VIGIL_REDACTION_DISABLED_DETECTORS", "redaction.disabled_detectors");
    m.putAll(ObserveConfig.env());
    m.putAll(HistoryConfig.env());
    m.putAll(AlertsConfig.env());
    m.putAll(HttpLimitsConfig.env());
    m.putAll(BreakersConfig.env());
    m.putAll(CarbonConfig.env());
    return Map.copyOf(m);
  }
}
