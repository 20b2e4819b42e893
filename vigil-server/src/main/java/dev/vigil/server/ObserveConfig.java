package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.observe.health.HealthSettings;
import dev.vigil.observe.health.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads the {@code metrics.*} and {@code health.*} keys of the configuration for {@link
 * ConfigLoader}; every key is documented in {@code docs/configuration.md}.
 */
final class ObserveConfig {
  static final Set<String> METRICS_KEYS = Set.of("enabled", "jvm", "influx", "otlp");
  static final Set<String> INFLUX_KEYS =
      Set.of("enabled", "uri", "db", "org", "bucket", "token", "user", "password", "step_ms", "auto_create_db");
  static final Set<String> OTLP_KEYS = Set.of("enabled", "url", "step_ms", "headers");
  static final Set<String> HEALTH_KEYS =
      Set.of(
          "check_timeout_ms", "cache_ms", "disk_min_free_bytes", "disk_warn_free_bytes", "memory_warn_used_ratio",
          "memory_max_used_ratio", "cpu_warn_load", "backlog_degraded_ratio", "backlog_unhealthy_ratio",
          "dispatcher_warn_ms", "dispatcher_stall_ms", "store_warn_ms", "probes");
  static final Set<String> PROBE_KEYS = Set.of("name", "tcp", "http", "timeout_ms");

  private ObserveConfig() {}

  /** Environment variable → key, for {@link ConfigLoader#ENV}. */
  static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_METRICS_ENABLED", "metrics.enabled");
    m.put("VIGIL_METRICS_JVM", "metrics.jvm");
    for (String k : List.of("enabled", "uri", "db", "org", "bucket", "token", "user", "password", "step_ms", "auto_create_db")) {
      m.put("VIGIL_METRICS_INFLUX_" + k.toUpperCase(java.util.Locale.ROOT), "metrics.influx." + k);
    }
    for (String k : List.of("enabled", "url", "step_ms", "headers")) {
      m.put("VIGIL_METRICS_OTLP_" + k.toUpperCase(java.util.Locale.ROOT), "metrics.otlp." + k);
    }
    for (String k : HEALTH_KEYS) {
      if (!k.equals("probes")) {
        m.put("VIGIL_HEALTH_" + k.toUpperCase(java.util.Locale.ROOT), "health." + k);
      }
    }
    return m;
  }

  static void requireKnownKeys(ConfigTree tree) {
    tree.requireKnownKeys("metrics", METRICS_KEYS);
    tree.requireKnownKeys("metrics.influx", INFLUX_KEYS);
    tree.requireKnownKeys("metrics.otlp", OTLP_KEYS);
    tree.requireKnownKeys("health", HEALTH_KEYS);
  }

  /** The {@code metrics.*} keys; {@code base} holds the values of the keys not set. */
  static MetricsSettings metrics(ConfigTree t, MetricsSettings base) {
    var i = base.influx();
    var influx =
        new MetricsSettings.Influx(
            t.bool("metrics.influx.enabled").orElse(i.enabled()),
            url(t, "metrics.influx.uri", i.uri()),
            t.text("metrics.influx.db").orElse(i.db()),
            t.text("metrics.influx.org").orElse(i.org()),
            t.text("metrics.influx.bucket").orElse(i.bucket()),
            t.text("metrics.influx.token").orElse(i.token()),
            t.text("metrics.influx.user").orElse(i.user()),
            t.text("metrics.influx.password").orElse(i.password()),
            step(t, "metrics.influx.step_ms", i.step()),
            t.bool("metrics.influx.auto_create_db").orElse(i.autoCreateDb()));
    var o = base.otlp();
    var otlp =
        new MetricsSettings.Otlp(
            t.bool("metrics.otlp.enabled").orElse(o.enabled()),
            url(t, "metrics.otlp.url", o.url()),
            step(t, "metrics.otlp.step_ms", o.step()),
            t.text("metrics.otlp.headers").orElse(o.headers()));
    return new MetricsSettings(
        t.bool("metrics.enabled").orElse(base.enabled()), t.bool("metrics.jvm").orElse(base.jvm()), influx, otlp);
  }

  /** The {@code health.*} keys; {@code d} holds the values of the keys not set. */
  static HealthSettings health(ConfigTree t, HealthSettings d) {
    try {
      return new HealthSettings(
          millis(t, "health.check_timeout_ms", d.checkTimeout()),
          millis(t, "health.cache_ms", d.cacheFor()),
          t.integer("health.disk_min_free_bytes").orElse(d.diskMinFreeBytes()),
          t.integer("health.disk_warn_free_bytes").orElse(d.diskWarnFreeBytes()),
          decimal(t, "health.memory_warn_used_ratio", d.memoryWarnUsedRatio()),
          decimal(t, "health.memory_max_used_ratio", d.memoryMaxUsedRatio()),
          optionalDecimal(t, "health.cpu_warn_load", d.cpuWarnLoad()),
          decimal(t, "health.backlog_degraded_ratio", d.backlogDegradedRatio()),
          decimal(t, "health.backlog_unhealthy_ratio", d.backlogUnhealthyRatio()),
          millis(t, "health.dispatcher_warn_ms", d.dispatcherWarnAfter()),
          millis(t, "health.dispatcher_stall_ms", d.dispatcherStallAfter()),
          millis(t, "health.store_warn_ms", d.storeWarnAbove()),
          probes(t.node("health.probes"), d.probes()));
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      String key = "health." + msg.substring(0, colon);
      throw new ConfigException(t.label(key), msg.substring(colon + 2));
    }
  }

  private static List<ProbeSpec> probes(JsonNode node, List<ProbeSpec> fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isArray()) {
      throw new ConfigException("health.probes", "must be a list of probes");
    }
    var out = new ArrayList<ProbeSpec>();
    for (int i = 0; i < node.size(); i++) {
      String at = "health.probes[" + i + "]";
      JsonNode p = node.get(i);
      if (!p.isObject()) {
        throw new ConfigException(at, "must be a mapping with name, tcp or http, and timeout_ms");
      }
      ConfigTree.requireKnownKeys(p, at, PROBE_KEYS);
      boolean tcp = p.hasNonNull("tcp");
      boolean http = p.hasNonNull("http");
      if (tcp == http) {
        throw new ConfigException(at, "give exactly one of tcp (host:port) or http (a URL)");
      }
      long timeout = ConfigTree.integer(p.get("timeout_ms"), at + ".timeout_ms").orElse(ProbeSpec.DEFAULT_TIMEOUT.toMillis());
      String name = p.hasNonNull("name") ? p.get("name").asText() : null;
      try {
        out.add(
            tcp
                ? ProbeSpec.tcp(name, p.get("tcp").asText(), Duration.ofMillis(timeout))
                : ProbeSpec.http(name, p.get("http").asText(), Duration.ofMillis(timeout)));
      } catch (IllegalArgumentException e) {
        String msg = e.getMessage();
        int colon = msg.indexOf(": ");
        throw new ConfigException(at + "." + msg.substring(0, colon), msg.substring(colon + 2));
      }
    }
    return out;
  }

  private static Duration millis(ConfigTree t, String key, Duration fallback) {
    return t.integer(key).isPresent() ? Duration.ofMillis(t.integer(key).getAsLong()) : fallback;
  }

  private static Duration step(ConfigTree t, String key, Duration fallback) {
    Duration d = millis(t, key, fallback);
    if (d.toMillis() < 1_000 || d.toMillis() > 3_600_000) {
      throw new ConfigException(t.label(key), "must be between 1000 and 3600000 (got " + d.toMillis() + ")");
    }
    return d;
  }

  private static String url(ConfigTree t, String key, String fallback) {
    String v = t.text(key).map(String::strip).orElse(fallback);
    if (!(v.startsWith("http://") || v.startsWith("https://")) || v.length() < 10) {
      throw new ConfigException(t.label(key), "must be an http:// or https:// URL");
    }
    return v;
  }

  /** A number that may be left unset: {@code fallback} then (an empty one for an opt-in threshold). */
  private static OptionalDouble optionalDecimal(ConfigTree t, String key, OptionalDouble fallback) {
    JsonNode v = t.node(key);
    return v == null || v.isNull() ? fallback : OptionalDouble.of(decimal(t, key, 0));
  }

  private static double decimal(ConfigTree t, String key, double fallback) {
    JsonNode v = t.node(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    try {
      return Double.parseDouble(v.asText().strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(t.label(key), "must be a number (got '" + v.asText() + "')");
    }
  }
}
