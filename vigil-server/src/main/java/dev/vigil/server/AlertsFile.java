package dev.vigil.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.observe.alerts.AlertRule;
import dev.vigil.observe.alerts.Comparison;
import dev.vigil.observe.alerts.ConditionSpec;
import dev.vigil.observe.alerts.DefaultRules;
import dev.vigil.observe.alerts.MetricSelector;
import dev.vigil.observe.alerts.NotificationPolicy;
import dev.vigil.observe.alerts.Receiver;
import dev.vigil.observe.alerts.Route;
import dev.vigil.observe.alerts.RuleSpec;
import dev.vigil.observe.history.Durations;
import dev.vigil.observe.history.HistoryFunction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the alert rules file ({@code alerts.file}): receivers, the route, the rules, and which
 * built-in rules to switch off. The file is a contract that other tools write, so every key is
 * checked and an error names it with its path ({@code alerts.yaml: rules[2].query.fn: ...}).
 *
 * <pre>{@code
 * receivers:
 *   - {name: ops, webhook: http://127.0.0.1:9093/hook, send_resolved: true}
 * route: {receiver: ops, group_by: [alertname, lane], group_wait: 10s, repeat_interval: 4h}
 * defaults: {disable: [VigilDeadJobs]}
 * rules:
 *   - name: ChatQueueWaitHigh
 *     kind: threshold
 *     query: {name: vigil_job_queue_wait_seconds, fn: p99, match: {lane: cognition}, window: 5m}
 *     op: ">"
 *     value: 5
 *     for: 1m
 *     severity: page
 * }</pre>
 */
final class AlertsFile {
  private static final Set<String> ROOT = Set.of("receivers", "route", "rules", "defaults");
  private static final Set<String> RECEIVER = Set.of("name", "webhook", "send_resolved");
  private static final Set<String> ROUTE = Set.of("receiver", "group_by", "group_wait", "repeat_interval", "match", "routes");
  private static final Set<String> SELECTOR = Set.of("name", "fn", "by", "match", "window");
  private static final Set<String> COMMON =
      Set.of("name", "kind", "for", "keep_firing_for", "severity", "labels", "annotations");
  private static final Map<String, Set<String>> KIND_KEYS =
      Map.of(
          "threshold", Set.of("query", "op", "value"),
          "ratio", Set.of("numerator", "denominator", "op", "value", "min_denominator"),
          "absent", Set.of("query"),
          "burn_rate", Set.of("objective", "good", "total", "windows"),
          "forecast", Set.of("query", "op", "value", "horizon"),
          "new_error_group", Set.of(),
          "error_group_regressed", Set.of());

  /** What the file says. */
  record Parsed(List<RuleSpec> rules, Set<String> disabledDefaults, NotificationPolicy policy) {
    static final Parsed EMPTY = new Parsed(List.of(), Set.of(), null);
  }

  private final String origin;

  private AlertsFile(String origin) {
    this.origin = origin;
  }

  /**
   * Reads a rules file; a file that does not exist is an empty one.
   *
   * @throws ConfigException naming the file and the first bad key
   */
  static Parsed read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Parsed.EMPTY;
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, file.toString());
  }

  /** Parses the text of a rules file; {@code origin} names it in errors. */
  static Parsed parse(String yaml, String origin) {
    JsonNode root;
    try {
      root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(yaml);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(origin, "not valid YAML" + where + ": " + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return Parsed.EMPTY;
    }
    return new AlertsFile(origin).parsed(root);
  }

  private Parsed parsed(JsonNode root) {
    object(root, "", ROOT);
    List<Receiver> receivers = new ArrayList<>();
    JsonNode r = root.get("receivers");
    if (r != null && !r.isNull()) {
      list(r, "receivers");
      for (int i = 0; i < r.size(); i++) {
        receivers.add(receiver(r.get(i), "receivers[" + i + "]"));
      }
    }
    NotificationPolicy policy = null;
    JsonNode route = root.get("route");
    if (route != null && !route.isNull()) {
      Route parsedRoute = route(route, "route");
      try {
        policy = new NotificationPolicy(receivers, parsedRoute);
      } catch (IllegalArgumentException e) {
        throw fail("route", e.getMessage());
      }
    } else if (!receivers.isEmpty()) {
      throw fail("route", "is required when receivers are given");
    }
    Set<String> disabled = new LinkedHashSet<>();
    JsonNode defaults = root.get("defaults");
    if (defaults != null && !defaults.isNull()) {
      object(defaults, "defaults", Set.of("disable"));
      JsonNode d = defaults.get("disable");
      if (d != null && !d.isNull()) {
        disabled.addAll(texts(d, "defaults.disable"));
        Set<String> builtIn = new HashSet<>(DefaultRules.all().stream().map(RuleSpec::name).toList());
        for (String name : disabled) {
          if (!builtIn.contains(name)) {
            throw fail("defaults.disable", "'" + shorten(name) + "' is not a built-in rule");
          }
        }
      }
    }
    List<RuleSpec> rules = new ArrayList<>();
    JsonNode rs = root.get("rules");
    if (rs != null && !rs.isNull()) {
      list(rs, "rules");
      Set<String> names = new HashSet<>();
      for (int i = 0; i < rs.size(); i++) {
        RuleSpec rule = rule(rs.get(i), "rules[" + i + "]");
        if (!names.add(rule.name())) {
          throw fail("rules[" + i + "].name", "duplicate rule '" + rule.name() + "'");
        }
        rules.add(rule);
      }
    }
    return new Parsed(rules, disabled, policy);
  }

  private Receiver receiver(JsonNode n, String path) {
    object(n, path, RECEIVER);
    String name = requiredText(n, path, "name");
    URI webhook = null;
    String url = text(n, path, "webhook");
    if (url != null) {
      try {
        webhook = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw fail(path + ".webhook", "is not a URL");
      }
      if (!("http".equals(webhook.getScheme()) || "https".equals(webhook.getScheme())) || webhook.getHost() == null) {
        throw fail(path + ".webhook", "must be an http:// or https:// URL");
      }
    }
    return new Receiver(name, webhook, bool(n, path, "send_resolved", true));
  }

  private Route route(JsonNode n, String path) {
    object(n, path, ROUTE);
    String receiver = requiredText(n, path, "receiver");
    List<String> groupBy = n.has("group_by") ? texts(n.get("group_by"), path + ".group_by") : List.of("alertname");
    Duration wait = duration(n, path, "group_wait", Duration.ofSeconds(10));
    Duration repeat = duration(n, path, "repeat_interval", Duration.ofHours(4));
    if (repeat.isZero()) {
      throw fail(path + ".repeat_interval", "must be longer than 0");
    }
    Map<String, String> match = strings(n.get("match"), path + ".match");
    List<Route> routes = new ArrayList<>();
    JsonNode children = n.get("routes");
    if (children != null && !children.isNull()) {
      list(children, path + ".routes");
      for (int i = 0; i < children.size(); i++) {
        routes.add(route(children.get(i), path + ".routes[" + i + "]"));
      }
    }
    return new Route(receiver, groupBy, wait, repeat, match, routes);
  }

  private RuleSpec rule(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw fail(path, "must be a mapping of keys");
    }
    String kind = requiredText(n, path, "kind");
    Set<String> own = KIND_KEYS.get(kind);
    if (own == null) {
      throw fail(path + ".kind", "must be one of " + String.join(", ", new java.util.TreeSet<>(KIND_KEYS.keySet())) + " (got '" + kind + "')");
    }
    Set<String> allowed = new HashSet<>(COMMON);
    allowed.addAll(own);
    object(n, path, allowed);
    String name = requiredText(n, path, "name");
    if (!AlertRule.NAME.matcher(name).matches()) {
      throw fail(path + ".name", "must be letters, digits and '_', starting with a letter or '_'");
    }
    ConditionSpec condition =
        switch (kind) {
          case "threshold" ->
              new ConditionSpec.Threshold(selector(n, path, "query"), op(n, path), number(n, path, "value"));
          case "ratio" ->
              new ConditionSpec.Ratio(
                  selector(n, path, "numerator"), selector(n, path, "denominator"), op(n, path), number(n, path, "value"),
                  n.has("min_denominator") ? number(n, path, "min_denominator") : 0);
          case "absent" -> new ConditionSpec.Absent(selector(n, path, "query"));
          case "burn_rate" -> burnRate(n, path);
          case "forecast" ->
              new ConditionSpec.Forecast(
                  selector(n, path, "query"), op(n, path), number(n, path, "value"), requiredDuration(n, path, "horizon"));
          case "new_error_group" -> new ConditionSpec.NewErrorGroup();
          default -> new ConditionSpec.ErrorGroupRegressed();
        };
    return new RuleSpec(
        name,
        condition,
        duration(n, path, "for", Duration.ZERO),
        duration(n, path, "keep_firing_for", Duration.ZERO),
        n.has("severity") ? requiredText(n, path, "severity") : "warning",
        strings(n.get("labels"), path + ".labels"),
        strings(n.get("annotations"), path + ".annotations"));
  }

  private ConditionSpec burnRate(JsonNode n, String path) {
    double objective = number(n, path, "objective");
    if (!(objective > 0 && objective < 1)) {
      throw fail(path + ".objective", "must be between 0 and 1, e.g. 0.99");
    }
    String windows = n.has("windows") ? requiredText(n, path, "windows") : "all";
    ConditionSpec.BurnWindows w =
        switch (windows) {
          case "fast" -> ConditionSpec.BurnWindows.FAST;
          case "slow" -> ConditionSpec.BurnWindows.SLOW;
          case "all" -> ConditionSpec.BurnWindows.ALL;
          default -> throw fail(path + ".windows", "must be fast, slow or all (got '" + windows + "')");
        };
    return new ConditionSpec.BurnRate(objective, selector(n, path, "good"), selector(n, path, "total"), w);
  }

  private MetricSelector selector(JsonNode rule, String rulePath, String key) {
    String path = rulePath + "." + key;
    JsonNode n = rule.get(key);
    if (n == null || n.isNull()) {
      throw fail(path, "is required");
    }
    object(n, path, SELECTOR);
    JsonNode names = n.get("name");
    List<String> metrics =
        names != null && names.isArray() ? texts(names, path + ".name") : List.of(requiredText(n, path, "name"));
    if (metrics.isEmpty()) {
      throw fail(path + ".name", "names at least one metric");
    }
    String fn = text(n, path, "fn");
    if (fn != null && HistoryFunction.fromWire(fn).isEmpty()) {
      throw fail(path + ".fn", "must be one of " + Arrays.stream(HistoryFunction.values()).map(HistoryFunction::wireName).toList()
          + " (got '" + shorten(fn) + "')");
    }
    return new MetricSelector(
        metrics,
        fn,
        n.has("by") ? texts(n.get("by"), path + ".by") : List.of(),
        strings(n.get("match"), path + ".match"),
        duration(n, path, "window", Duration.ofMinutes(5)));
  }

  private Comparison op(JsonNode n, String path) {
    String op = requiredText(n, path, "op");
    try {
      return Comparison.of(op);
    } catch (IllegalArgumentException e) {
      throw fail(path + ".op", e.getMessage());
    }
  }

  // ---- small readers, each naming the path it refuses

  private void object(JsonNode n, String path, Set<String> allowed) {
    if (n == null || !n.isObject()) {
      throw fail(path.isEmpty() ? "" : path, "must be a mapping of keys");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw fail(join(path, key), "unknown key");
      }
    }
  }

  private void list(JsonNode n, String path) {
    if (!n.isArray()) {
      throw fail(path, "must be a list");
    }
  }

  private String requiredText(JsonNode n, String path, String key) {
    String v = text(n, path, key);
    if (v == null || v.isBlank()) {
      throw fail(join(path, key), "is required");
    }
    return v;
  }

  private String text(JsonNode n, String path, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      throw fail(join(path, key), "must be a text");
    }
    return v.asText();
  }

  private double number(JsonNode n, String path, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      throw fail(join(path, key), "is required");
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw fail(join(path, key), "must be a number");
    }
    return v.asDouble();
  }

  private boolean bool(JsonNode n, String path, String key, boolean otherwise) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (!v.isBoolean()) {
      throw fail(join(path, key), "must be true or false");
    }
    return v.asBoolean();
  }

  private Duration duration(JsonNode n, String path, String key, Duration otherwise) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    try {
      return Durations.require(v.asText());
    } catch (IllegalArgumentException e) {
      throw fail(join(path, key), e.getMessage());
    }
  }

  private Duration requiredDuration(JsonNode n, String path, String key) {
    if (!n.has(key)) {
      throw fail(join(path, key), "is required");
    }
    return duration(n, path, key, Duration.ZERO);
  }

  private List<String> texts(JsonNode n, String path) {
    if (!n.isArray()) {
      throw fail(path, "must be a list");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual() || n.get(i).asText().isBlank()) {
        throw fail(path + "[" + i + "]", "must be a text");
      }
      out.add(n.get(i).asText());
    }
    return out;
  }

  private Map<String, String> strings(JsonNode n, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw fail(path, "must be a mapping of texts");
    }
    for (var it = n.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw fail(path + "." + e.getKey(), "must be a text");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private ConfigException fail(String path, String reason) {
    return new ConfigException(path.isEmpty() ? origin : origin + ": " + path, reason);
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
