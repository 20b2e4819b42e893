package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.limits.LimitRule;
import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code limits:} list of the configuration (YAML only): per key or key prefix, starts per
 * window ({@code rate}), cost units per window ({@code units}) and jobs running at once ({@code
 * concurrency}).
 *
 * <pre>{@code
 * limits:
 *   - {key: "provider:openai", rate: 500, units: 200000, window: 1m}
 *   - {key: "tenant:*", rate: 60, window: 1m}
 *   - {key: "user:*", concurrency: 2}
 * }</pre>
 */
final class LimitsConfig {
  private static final Set<String> KEYS = Set.of("key", "rate", "units", "window", "concurrency");

  private LimitsConfig() {}

  /** The rules of {@code node} (a list), each refused with its index and key on a bad value. */
  static List<LimitRule> limits(JsonNode node) {
    if (!node.isArray()) {
      throw new ConfigException("limits", "must be a list of limits");
    }
    List<LimitRule> rules = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "limits[" + i + "]";
      JsonNode n = node.get(i);
      if (!n.isObject()) {
        throw new ConfigException(at, "must be a mapping such as {key: \"provider:openai\", rate: 500, window: 1m}");
      }
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!KEYS.contains(k)) {
          throw new ConfigException(at + "." + k, "unknown key");
        }
      }
      String key = n.path("key").isTextual() ? n.get("key").asText() : null;
      if (key == null) {
        throw new ConfigException(at + ".key", "is required");
      }
      if (!keys.add(key)) {
        throw new ConfigException(at + ".key", "'" + key + "' has a limit already");
      }
      try {
        rules.add(new LimitRule(
            key, integer(n, at, "rate"), whole(n, at, "units"), window(n, at), integer(n, at, "concurrency")));
      } catch (IllegalArgumentException e) {
        String msg = e.getMessage();
        int colon = msg.indexOf(": ");
        throw colon > 0 && !msg.startsWith("a limit")
            ? new ConfigException(at + "." + msg.substring(0, colon), msg.substring(colon + 2))
            : new ConfigException(at, msg);
      }
    }
    return rules;
  }

  private static Integer integer(JsonNode n, String at, String field) {
    Long v = whole(n, at, field);
    if (v != null && v > Integer.MAX_VALUE) {
      throw new ConfigException(at + "." + field, "must be at most " + Integer.MAX_VALUE);
    }
    return v == null ? null : v.intValue();
  }

  private static Long whole(JsonNode n, String at, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new ConfigException(at + "." + field, "must be a whole number");
    }
    return v.asLong();
  }

  private static Duration window(JsonNode n, String at) {
    JsonNode v = n.get("window");
    if (v == null || v.isNull()) {
      return null;
    }
    return Durations.parse(v.asText())
        .orElseThrow(() -> new ConfigException(at + ".window", "must be a duration such as 1s, 1m or 1h"));
  }
}
