package dev.vigil.observe.history;

import dev.vigil.InvalidRequestException;
import dev.vigil.observe.history.Forecast.What;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Predictive health: a straight line ({@link LinearTrend}) through the last hour of metric history
 * of each resource that runs out, and when it meets its limit. {@code /health/detailed} shows them
 * as {@code forecasts}; a {@code forecast} alert rule fits its own query the same way.
 *
 * <ul>
 *   <li>{@link What#DISK_FREE}: {@code vigil_data_dir_free_bytes} per node (the SQLite store's data
 *       directory) falling to 0.
 *   <li>{@link What#HEAP_AFTER_GC}: {@code jvm_gc_live_data_size_bytes} per node rising to {@code
 *       jvm_gc_max_data_size_bytes}. Heap in use ({@code jvm_memory_used_bytes}) is a saw-tooth
 *       that climbs with every allocation and drops at every collection, so a line through it
 *       predicts the next collection, not exhaustion. The long-lived pool as a collection leaves
 *       it is what the application really keeps; when that grows steadily it leaks, and the JVM
 *       fails when it reaches the most that pool may hold (the young generation, part of the
 *       heap's maximum, cannot take it), so that is the threshold.
 *   <li>{@link What#LANE_BACKLOG}: {@code vigil_queue_depth{state="ready"}} per lane rising to
 *       {@code vigil_lane_capacity}. Both describe the whole store, so every node reports the same
 *       value: the nodes' largest is taken, never their sum.
 * </ul>
 *
 * <p>Points come every {@link #STEP} over {@link #WINDOW}, the last value of each minute (the
 * mean for a backlog, which jumps with every batch). A series younger than {@link
 * LinearTrend#MIN_POINTS} minutes is fitted through its raw samples of the last few minutes
 * instead, so a node has forecasts soon after it starts; they are as unsure as their few points
 * say. A series with fewer points, one whose newest point is older than {@link #STALE} (a node or
 * lane that went away), a limit history does not hold, and a metric history does not hold give no
 * forecast.
 *
 * <p>Thread-safe; every call reads history afresh, a few queries of one series per node or lane:
 * callers that ask often cache the answer.
 */
public final class Forecasts {
  /** How far back the lines are fitted. */
  public static final Duration WINDOW = Duration.ofHours(1);

  /** The time between the points a line is fitted through. */
  public static final Duration STEP = Duration.ofMinutes(1);

  /** How old a series' newest point may be for it to be forecast. */
  public static final Duration STALE = Duration.ofMinutes(5);

  private static final String NODE = "node";
  private static final String LANE = "lane";
  private static final Gauge DISK_FREE = new Gauge("vigil_data_dir_free_bytes", HistoryFunction.LAST, NODE, Map.of());
  private static final Gauge HEAP_LIVE = new Gauge("jvm_gc_live_data_size_bytes", HistoryFunction.LAST, NODE, Map.of());
  private static final Gauge HEAP_MAX = new Gauge("jvm_gc_max_data_size_bytes", HistoryFunction.LAST, NODE, Map.of());
  private static final Gauge LANE_READY =
      new Gauge("vigil_queue_depth", HistoryFunction.AVG, LANE, Map.of("state", "ready"));
  private static final Gauge LANE_CAPACITY = new Gauge("vigil_lane_capacity", HistoryFunction.LAST, LANE, Map.of());

  private final MetricHistory history;
  private final InstantSource clock;

  /** Forecasts from {@code history}, with {@code clock} for "now". */
  public Forecasts(MetricHistory history, InstantSource clock) {
    this.history = Objects.requireNonNull(history, "history");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every forecast there is now: the disks by node, the heaps by node, then the lanes by name. */
  public List<Forecast> compute() {
    Instant now = clock.instant();
    List<Forecast> out = new ArrayList<>();
    series(DISK_FREE, now).forEach((node, points) ->
        fit(What.DISK_FREE, Map.of(NODE, node), points, 0.0, now).ifPresent(out::add));
    Map<String, Double> heapMax = latest(HEAP_MAX, now);
    series(HEAP_LIVE, now).forEach((node, points) ->
        fit(What.HEAP_AFTER_GC, Map.of(NODE, node), points, heapMax.get(node), now).ifPresent(out::add));
    Map<String, Double> capacity = latest(LANE_CAPACITY, now);
    series(LANE_READY, now).forEach((lane, points) ->
        fit(What.LANE_BACKLOG, Map.of(LANE, lane), points, capacity.get(lane), now).ifPresent(out::add));
    return out;
  }

  private static Optional<Forecast> fit(
      What what, Map<String, String> labels, List<HistoryResult.Point> points, Double threshold, Instant now) {
    if (threshold == null || (what.rising() && threshold <= 0)) {
      return Optional.empty();
    }
    return LinearTrend.fit(points).map(t -> {
      double v = t.value(now);
      Instant at = what.reached(v, threshold) ? now : t.timeTo(threshold, now).map(now::plus).orElse(null);
      return new Forecast(what, labels, v, threshold, t.slopePerSecond() * 3600, at, t.rSquared(), t.points());
    });
  }

  /** The newest value of each series of a limit, by the value of its {@code per} label. */
  private Map<String, Double> latest(Gauge limit, Instant now) {
    Map<String, Double> out = new HashMap<>();
    series(limit, now).forEach((k, points) -> out.put(k, points.getLast().value()));
    return out;
  }

  /**
   * The points of {@code gauge} by the value of its {@code per} label, the nodes' largest at each
   * point: every minute of the window, or the raw samples of the last few minutes for a series
   * with too few minutes yet. Stale series are left out.
   */
  private SortedMap<String, List<HistoryResult.Point>> series(Gauge gauge, Instant now) {
    SortedMap<String, List<HistoryResult.Point>> out = new TreeMap<>();
    if (history.kind(gauge.name()).filter(k -> k == MetricKind.GAUGE).isEmpty()) {
      return out;
    }
    out.putAll(query(gauge, now.minus(WINDOW), now, STEP));
    Duration fine = history.interval();
    if (fine.compareTo(STEP) < 0 && out.values().stream().anyMatch(p -> p.size() < LinearTrend.MIN_POINTS)) {
      query(gauge, now.minus(STEP.multipliedBy(LinearTrend.MIN_POINTS)), now, fine).forEach((k, points) -> {
        if (out.getOrDefault(k, List.of()).size() < LinearTrend.MIN_POINTS) {
          out.put(k, points);
        }
      });
    }
    out.values().removeIf(p -> p.isEmpty() || p.getLast().at().isBefore(now.minus(STALE)));
    return out;
  }

  private SortedMap<String, List<HistoryResult.Point>> query(Gauge gauge, Instant from, Instant to, Duration step) {
    HistoryQuery.Builder q = HistoryQuery.builder(gauge.name()).fn(gauge.fn()).from(from).to(to).step(step)
        .by(gauge.per().equals(NODE) ? List.of(NODE) : List.of(gauge.per(), NODE));
    gauge.match().forEach(q::match);
    HistoryResult result;
    try {
      result = history.query(q.build());
    } catch (InvalidRequestException e) {
      return new TreeMap<>(); // the metric was purged since kind() found it
    }
    SortedMap<String, TreeMap<Instant, Double>> largest = new TreeMap<>();
    for (HistoryResult.Series s : result.series()) {
      String key = s.labels().get(gauge.per());
      if (key != null) {
        TreeMap<Instant, Double> points = largest.computeIfAbsent(key, k -> new TreeMap<>());
        s.points().forEach(p -> points.merge(p.at(), p.value(), Math::max));
      }
    }
    SortedMap<String, List<HistoryResult.Point>> out = new TreeMap<>();
    largest.forEach((k, points) -> out.put(
        k, points.entrySet().stream().map(e -> new HistoryResult.Point(e.getKey(), e.getValue())).toList()));
    return out;
  }

  /** A gauge read for forecasts: its points computed by {@code fn}, one series per value of label {@code per}. */
  private record Gauge(String name, HistoryFunction fn, String per, Map<String, String> match) {}
}
