package dev.vigil.observe.alerts;

import dev.vigil.observe.history.HistoryFunction;
import dev.vigil.observe.history.HistoryQuery;
import dev.vigil.observe.history.HistoryResult;
import dev.vigil.observe.history.MetricHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Answers a rule's {@link MetricSelector} from metric history: one value (or one series of points)
 * per combination of the selector's {@code by} labels, the metrics it names summed. A metric that
 * history does not hold yet (a counter nothing has incremented) contributes nothing, so a rule
 * over it finds no series rather than failing. A {@code match} value with {@code *} matches as a
 * glob ({@code status: "5*"}).
 */
final class HistoryValues {
  private final MetricHistory history;

  HistoryValues(MetricHistory history) {
    this.history = history;
  }

  /** The selector's value over {@code window} ending at {@code now}, per label combination. */
  Map<Map<String, String>, Double> at(MetricSelector sel, Duration window, Instant now) {
    Map<Map<String, String>, Double> out = new HashMap<>();
    series(sel, now.minus(window), now, window).forEach((labels, points) -> {
      if (!points.isEmpty()) {
        out.put(labels, points.getLast().value());
      }
    });
    return out;
  }

  /** The selector's value at {@code now} over its own window. */
  Map<Map<String, String>, Double> at(MetricSelector sel, Instant now) {
    return at(sel, sel.window(), now);
  }

  /**
   * The selector's points from {@code from} to {@code to} every {@code step}, per label
   * combination, the metrics it names summed point by point.
   */
  Map<Map<String, String>, List<HistoryResult.Point>> series(MetricSelector sel, Instant from, Instant to, Duration step) {
    Map<String, String> exact = new TreeMap<>();
    Map<String, Pattern> globs = new TreeMap<>();
    sel.match().forEach((label, value) -> {
      if (value.contains("*")) {
        globs.put(label, glob(value));
      } else {
        exact.put(label, value);
      }
    });
    List<String> by = new ArrayList<>(sel.by());
    globs.keySet().stream().filter(l -> !by.contains(l)).forEach(by::add);
    Map<Map<String, String>, Map<Instant, Double>> summed = new HashMap<>();
    for (String name : sel.names()) {
      if (history.kind(name).isEmpty()) {
        continue;
      }
      HistoryQuery.Builder q = HistoryQuery.builder(name).by(by).from(from).to(to).step(step);
      if (sel.fn() != null) {
        q.fn(HistoryFunction.fromWire(sel.fn()).orElseThrow(() -> new IllegalArgumentException("unknown fn " + sel.fn())));
      }
      exact.forEach(q::match);
      for (HistoryResult.Series s : history.query(q.build()).series()) {
        if (!globs.entrySet().stream().allMatch(g -> g.getValue().matcher(s.labels().getOrDefault(g.getKey(), "")).matches())) {
          continue;
        }
        Map<String, String> kept = new TreeMap<>(s.labels());
        kept.keySet().retainAll(sel.by());
        Map<Instant, Double> points = summed.computeIfAbsent(kept, k -> new TreeMap<>());
        s.points().forEach(p -> points.merge(p.at(), p.value(), Double::sum));
      }
    }
    Map<Map<String, String>, List<HistoryResult.Point>> out = new HashMap<>();
    summed.forEach((labels, points) -> out.put(
        labels, points.entrySet().stream().map(e -> new HistoryResult.Point(e.getKey(), e.getValue())).toList()));
    return out;
  }

  private static Pattern glob(String value) {
    return Pattern.compile(
        java.util.Arrays.stream(value.split("\\*", -1)).map(Pattern::quote).collect(java.util.stream.Collectors.joining(".*")));
  }
}
