package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A metric-history question in a rule: the metric (or several metrics of one kind, summed: the
 * jobs that ended are those that succeeded plus those that died), the function, the labels to
 * keep, the label values to match, and the window the function looks back over (as {@code GET
 * /api/v1/metrics/query} takes them). {@code fn} null: the metric kind's default.
 */
public record MetricSelector(List<String> names, String fn, List<String> by, Map<String, String> match, Duration window) {
  public MetricSelector {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a selector names at least one metric");
    }
    by = List.copyOf(by);
    match = Map.copyOf(match);
    Objects.requireNonNull(window, "window");
  }

  /** A selector of one metric. */
  public static MetricSelector of(String name, String fn, List<String> by, Map<String, String> match, Duration window) {
    return new MetricSelector(List.of(name), fn, by, match, window);
  }

  /** The selector as one line, for rule listings. */
  public String describe() {
    return String.join("+", names) + (fn == null ? "" : " " + fn)
        + (match.isEmpty() ? "" : " " + new TreeMap<>(match))
        + (by.isEmpty() ? "" : " by " + String.join(",", by)) + " over " + Durations.format(window);
  }
}
