package dev.vigil.server;

import dev.vigil.server.http.HttpLimitSettings;
import dev.vigil.server.http.HttpLimitSettings.Quota;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code http_limits.*} keys of the configuration, and their environment variables. A quota is
 * written {@code requests/window} ({@code 1200/1m}); {@code enabled} left unset means on unless
 * the server listens on a loopback address.
 */
final class HttpLimitsConfig {
  static final Set<String> KEYS = Set.of("enabled", "per_client");
  static final Set<String> PER_CLIENT_KEYS = Set.of("read", "write", "claim");

  private HttpLimitsConfig() {}

  /** Environment variable → key, for {@link ConfigLoader#ENV}. */
  static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_HTTP_LIMITS_ENABLED", "http_limits.enabled");
    m.put("VIGIL_HTTP_LIMITS_READ", "http_limits.per_client.read");
    m.put("VIGIL_HTTP_LIMITS_WRITE", "http_limits.per_client.write");
    m.put("VIGIL_HTTP_LIMITS_CLAIM", "http_limits.per_client.claim");
    return m;
  }

  /** The {@code http_limits.*} keys; {@code d} holds the values of the keys not set. */
  static HttpLimitSettings httpLimits(ConfigTree t, HttpLimitSettings d) {
    t.requireKnownKeys("http_limits", KEYS);
    t.requireKnownKeys("http_limits.per_client", PER_CLIENT_KEYS);
    return new HttpLimitSettings(
        t.bool("http_limits.enabled").orElse(d.enabled()),
        quota(t, "read", d.read()),
        quota(t, "write", d.write()),
        quota(t, "claim", d.claim()));
  }

  private static Quota quota(ConfigTree t, String routeClass, Quota fallback) {
    String key = "http_limits.per_client." + routeClass;
    var text = t.text(key);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Quota.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(t.label(key), e.getMessage());
    }
  }
}
