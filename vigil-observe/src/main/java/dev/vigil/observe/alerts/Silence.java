package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Mutes the notifications of the alerts it matches until {@code endsAt}: those of {@code rule}
 * (any rule when null) whose labels have every value of {@code matchers}. Silenced alerts are
 * still evaluated and listed.
 */
public record Silence(
    String id, String rule, Map<String, String> matchers, Instant startsAt, Instant endsAt, String comment) {
  public Silence {
    Objects.requireNonNull(id, "id");
    matchers = java.util.Collections.unmodifiableMap(new TreeMap<>(matchers));
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
  }

  /** Whether it mutes {@code alert} at {@code now}. */
  public boolean mutes(Alert alert, Instant now) {
    if (now.isBefore(startsAt) || !now.isBefore(endsAt)) {
      return false;
    }
    if (rule != null && !rule.equals(alert.rule())) {
      return false;
    }
    return matchers.entrySet().stream().allMatch(m -> m.getValue().equals(alert.labels().get(m.getKey())));
  }
}
