package dev.vigil.server;

import dev.vigil.limits.BreakerSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code breakers.*} keys of the configuration, and their environment variables: when the
 * circuit breakers per job type and limit key open, and for how long. Durations are written with
 * their unit ({@code 60s}, {@code 5m}).
 *
 * <pre>{@code
 * breakers:
 *   {failure_ratio: 0.5, min_attempts: 20, window: 60s, cool_down: 30s, max_cool_down: 5m}
 * }</pre>
 */
final class BreakersConfig {
  static final Set<String> KEYS =
      Set.of("enabled", "failure_ratio", "min_attempts", "window", "cool_down", "max_cool_down");

  private BreakersConfig() {}

  /** Environment variable → key, for {@link ConfigLoader#ENV}. */
  static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_BREAKERS_ENABLED", "breakers.enabled");
    m.put("VIGIL_BREAKERS_FAILURE_RATIO", "breakers.failure_ratio");
    m.put("VIGIL_BREAKERS_MIN_ATTEMPTS", "breakers.min_attempts");
    m.put("VIGIL_BREAKERS_WINDOW", "breakers.window");
    m.put("VIGIL_BREAKERS_COOL_DOWN", "breakers.cool_down");
    m.put("VIGIL_BREAKERS_MAX_COOL_DOWN", "breakers.max_cool_down");
    return m;
  }

  /** The {@code breakers.*} keys; {@code d} holds the values of the keys not set. */
  static BreakerSettings breakers(ConfigTree t, BreakerSettings d) {
    t.requireKnownKeys("breakers", KEYS);
    try {
      return new BreakerSettings(
          t.bool("breakers.enabled").orElse(d.enabled()),
          ratio(t, d.failureRatio()),
          t.int32("breakers.min_attempts").orElse(d.minAttempts()),
          duration(t, "breakers.window", d.window()),
          duration(t, "breakers.cool_down", d.coolDown()),
          duration(t, "breakers.max_cool_down", d.maxCoolDown()));
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      throw new ConfigException(t.label("breakers." + msg.substring(0, colon)), msg.substring(colon + 2));
    }
  }

  private static double ratio(ConfigTree t, double fallback) {
    String key = "breakers.failure_ratio";
    var text = t.text(key);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Double.parseDouble(text.get().strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          t.label(key), "must be a number above 0 and at most 1, such as 0.5 (got '" + ConfigTree.shorten(text.get()) + "')");
    }
  }

  private static Duration duration(ConfigTree t, String key, Duration fallback) {
    return t.duration(key, "30s, 5m or 1h").orElse(fallback);
  }
}
