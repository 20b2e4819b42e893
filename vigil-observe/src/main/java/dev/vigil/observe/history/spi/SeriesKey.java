package dev.vigil.observe.history.spi;

import dev.vigil.observe.history.MetricKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What identifies a stored series: the metric's name, the node that samples it, and its labels.
 * Kind and bucket bounds describe it; a store keeps those it was first registered with.
 *
 * @param name the metric's name as Prometheus shows it, e.g. {@code vigil_jobs_enqueued_total}
 * @param kind counter, gauge or histogram
 * @param node the id of the node whose registry the series comes from
 * @param labels the labels, sorted by name; never {@code node}, which is the field above
 * @param bounds a histogram's finite bucket upper bounds, ascending; empty for other kinds (and
 *     for a histogram without buckets, which keeps its count and sum only)
 */
public record SeriesKey(String name, MetricKind kind, String node, SortedMap<String, String> labels, List<Double> bounds) {
  public SeriesKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(node, "node");
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    bounds = List.copyOf(bounds);
    if (labels.containsKey("node")) {
      throw new IllegalArgumentException("the node is a field of its own, not a label");
    }
  }

  /** A key without bucket bounds. */
  public static SeriesKey of(String name, MetricKind kind, String node, Map<String, String> labels) {
    return new SeriesKey(name, kind, node, new TreeMap<>(labels), List.of());
  }
}
