package dev.vigil.observe.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link HistoryQuery}: one series per combination of the kept labels, each a list
 * of points in time order. A step where a series had nothing to compute (no sample, no
 * observation) has no point.
 *
 * @param name the metric
 * @param fn the function computed
 * @param step the time between points
 * @param from the window's start as asked
 * @param to the window's end as asked: the time of the last point (the others come every step before it)
 * @param series the series, ordered by their labels
 */
public record HistoryResult(String name, HistoryFunction fn, Duration step, Instant from, Instant to, List<Series> series) {
  public HistoryResult {
    series = List.copyOf(series);
  }

  /**
   * One series of the answer.
   *
   * @param labels the kept labels and their values
   * @param points in time order
   */
  public record Series(Map<String, String> labels, List<Point> points) {
    public Series {
      labels = Map.copyOf(labels);
      points = List.copyOf(points);
    }
  }

  /**
   * One point: the value computed over the step that ends at {@code at}.
   *
   * @param at the end of the step: {@code to} less a whole number of steps
   * @param value a finite number
   */
  public record Point(Instant at, double value) {}
}
