package dev.vigil.server;

import dev.vigil.observe.history.HistorySettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code history.*} keys of the configuration for {@link ConfigLoader}: whether metrics
 * are sampled into the store, how often, and how long each resolution is kept. Durations are
 * written with their unit ({@code 10s}, {@code 48h}, {@code 30d}). Every key is documented in
 * {@code docs/configuration.md} and {@code docs/history.md}.
 */
final class HistoryConfig {
  static final Set<String> KEYS = Set.of("enabled", "interval", "retention", "max_series");
  static final Set<String> RETENTION_KEYS = Set.of("raw", "minute", "hour");

  private HistoryConfig() {}

  /** Environment variable → key, for {@link ConfigLoader#ENV}. */
  static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_HISTORY_ENABLED", "history.enabled");
    m.put("VIGIL_HISTORY_INTERVAL", "history.interval");
    m.put("VIGIL_HISTORY_RETENTION_RAW", "history.retention.raw");
    m.put("VIGIL_HISTORY_RETENTION_MINUTE", "history.retention.minute");
    m.put("VIGIL_HISTORY_RETENTION_HOUR", "history.retention.hour");
    m.put("VIGIL_HISTORY_MAX_SERIES", "history.max_series");
    return m;
  }

  static void requireKnownKeys(ConfigTree tree) {
    tree.requireKnownKeys("history", KEYS);
    tree.requireKnownKeys("history.retention", RETENTION_KEYS);
  }

  /** The {@code history.*} keys; {@code d} holds the values of the keys not set. */
  static HistorySettings history(ConfigTree t, HistorySettings d) {
    try {
      return new HistorySettings(
          t.bool("history.enabled").orElse(d.enabled()),
          duration(t, "history.interval", d.interval()),
          duration(t, "history.retention.raw", d.rawRetention()),
          duration(t, "history.retention.minute", d.minuteRetention()),
          duration(t, "history.retention.hour", d.hourRetention()),
          t.int32("history.max_series").orElse(d.maxSeries()));
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      throw new ConfigException(t.label("history." + msg.substring(0, colon)), msg.substring(colon + 2));
    }
  }

  private static Duration duration(ConfigTree t, String key, Duration fallback) {
    return t.duration(key, "10s, 15m, 48h or 30d").orElse(fallback);
  }
}
