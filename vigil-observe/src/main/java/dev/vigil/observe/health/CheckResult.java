package dev.vigil.observe.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one health check.
 *
 * @param message one line for a person, e.g. {@code 12.4 GiB free}; never user data
 * @param latencyMs how long the check took, filled in by {@link HealthChecks}
 * @param details numbers and words that explain the status (JSON-friendly values), in order
 */
public record CheckResult(HealthStatus status, String message, double latencyMs, Map<String, Object> details) {

  public CheckResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static CheckResult healthy(String message) {
    return new CheckResult(HealthStatus.HEALTHY, message, 0, Map.of());
  }

  public static CheckResult degraded(String message) {
    return new CheckResult(HealthStatus.DEGRADED, message, 0, Map.of());
  }

  public static CheckResult unhealthy(String message) {
    return new CheckResult(HealthStatus.UNHEALTHY, message, 0, Map.of());
  }

  /** A result with this status and message. */
  public static CheckResult of(HealthStatus status, String message) {
    return new CheckResult(status, message, 0, Map.of());
  }

  /** This result with one more detail. */
  public CheckResult with(String key, Object value) {
    var d = new LinkedHashMap<>(details);
    d.put(key, value);
    return new CheckResult(status, message, latencyMs, d);
  }

  /** This result with its latency. */
  public CheckResult withLatency(double ms) {
    return new CheckResult(status, message, ms, details);
  }
}
