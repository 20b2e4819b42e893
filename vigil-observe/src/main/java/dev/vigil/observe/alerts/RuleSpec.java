package dev.vigil.observe.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A rule as the rules file (or the built-in defaults) declares it, before its condition is bound
 * to the metric history and the error groups.
 */
public record RuleSpec(
    String name,
    ConditionSpec condition,
    Duration forDuration,
    Duration keepFiringFor,
    String severity,
    Map<String, String> labels,
    Map<String, String> annotations) {

  public RuleSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(forDuration, "forDuration");
    Objects.requireNonNull(keepFiringFor, "keepFiringFor");
    Objects.requireNonNull(severity, "severity");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** The rule with its condition bound. */
  public AlertRule bind(AlertCondition condition) {
    return new AlertRule(name, condition, forDuration, keepFiringFor, severity, labels, annotations);
  }
}
