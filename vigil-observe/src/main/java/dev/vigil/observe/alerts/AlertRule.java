package dev.vigil.observe.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One alert rule: a condition, how long it must hold before the alert fires ({@code forDuration}),
 * how long a firing alert stays firing after its condition stops holding ({@code keepFiringFor}),
 * its severity, and the labels and annotations its alerts carry ({@code summary}, {@code
 * description}, {@code runbook_url}).
 */
public record AlertRule(
    String name,
    AlertCondition condition,
    Duration forDuration,
    Duration keepFiringFor,
    String severity,
    Map<String, String> labels,
    Map<String, String> annotations) {

  /** What a rule name may look like: as a Prometheus alert name. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public AlertRule {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a rule name is letters, digits and '_' (got '" + name + "')");
    }
    Objects.requireNonNull(condition, "condition");
    forDuration = nonNegative(forDuration, "for");
    keepFiringFor = nonNegative(keepFiringFor, "keep_firing_for");
    Objects.requireNonNull(severity, "severity");
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  private static Duration nonNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
    return d;
  }
}
