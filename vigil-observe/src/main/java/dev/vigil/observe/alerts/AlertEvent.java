package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A transition in the alert history: an alert started firing, or resolved ({@code durationMs}:
 * how long it fired).
 */
public record AlertEvent(
    long id, String rule, Map<String, String> labels, AlertState state, Instant at, double value, long durationMs) {
  public AlertEvent {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }
}
