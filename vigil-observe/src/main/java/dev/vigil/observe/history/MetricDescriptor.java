package dev.vigil.observe.history;

import java.util.List;

/**
 * A metric history holds: its name, its kind, and the names of the labels its series carry
 * ({@code node} among them).
 */
public record MetricDescriptor(String name, MetricKind kind, List<String> labels) {
  public MetricDescriptor {
    labels = List.copyOf(labels);
  }
}
