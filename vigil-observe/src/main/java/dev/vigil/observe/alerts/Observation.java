package dev.vigil.observe.alerts;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one evaluation of a rule's condition found for one series: its labels, its value, and
 * whether the condition holds for it.
 */
public record Observation(Map<String, String> labels, double value, boolean holds) {
  public Observation {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }
}
