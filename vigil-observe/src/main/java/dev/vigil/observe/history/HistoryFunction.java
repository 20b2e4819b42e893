package dev.vigil.observe.history;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a history query computes in each step, per kind of metric: {@link #RATE} and {@link
 * #INCREASE} of counters; {@link #AVG}, {@link #MIN}, {@link #MAX} and {@link #LAST} of gauges;
 * the quantiles {@link #P50} to {@link #P99}, the mean ({@link #AVG}) and the rate or increase of
 * the number of observations of histograms.
 */
public enum HistoryFunction {
  /**
   * Per-second increase of a counter over the step (Prometheus's {@code rate}); of a histogram, of
   * its count of observations (Prometheus's {@code rate(..._count)}).
   */
  RATE(0),
  /** Increase of a counter (or a histogram's count of observations) over the step (Prometheus's {@code increase}). */
  INCREASE(0),
  /** Of a gauge: the mean of its samples in the step; of a histogram: the mean observation (sum / count). */
  AVG(0),
  /** The lowest value a gauge had in the step. */
  MIN(0),
  /** The highest value a gauge had in the step. */
  MAX(0),
  /** A gauge's last value in the step. */
  LAST(0),
  /** Median of a histogram's observations in the step, interpolated in its bucket. */
  P50(0.50),
  P90(0.90),
  P95(0.95),
  P99(0.99);

  private final double quantile;

  HistoryFunction(double quantile) {
    this.quantile = quantile;
  }

  /** The name on the wire: {@code rate}, {@code p99}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The function named {@code name} (lower case), if any. */
  public static Optional<HistoryFunction> fromWire(String name) {
    for (HistoryFunction f : values()) {
      if (f.wireName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The quantile this function computes, between 0 and 1; 0 when it is not a quantile. */
  public double quantile() {
    return quantile;
  }

  /** Whether this function computes a quantile. */
  public boolean isQuantile() {
    return quantile > 0;
  }

  /** The functions that apply to a metric of {@code kind}. */
  public static Set<HistoryFunction> of(MetricKind kind) {
    return switch (kind) {
      case COUNTER -> EnumSet.of(RATE, INCREASE);
      case GAUGE -> EnumSet.of(AVG, MIN, MAX, LAST);
      case HISTOGRAM -> EnumSet.of(P50, P90, P95, P99, AVG, RATE, INCREASE);
    };
  }

  /** The function a query of {@code kind} uses when it names none: rate, avg or p99. */
  public static HistoryFunction defaultFor(MetricKind kind) {
    return switch (kind) {
      case COUNTER -> RATE;
      case GAUGE -> AVG;
      case HISTOGRAM -> P99;
    };
  }
}
