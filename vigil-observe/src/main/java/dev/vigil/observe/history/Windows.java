package dev.vigil.observe.history;

import java.util.List;

/**
 * What one series contributed to one step of a query: the samples stamped in the step's window
 * {@code (t - w, t]}, evaluated as Prometheus evaluates a range vector.
 *
 * <p>Cumulative series (counters, histograms) are measured from a base: the last sample at or
 * before the window's start (no older than one more window), else the first sample in the window.
 * Their increase is the sum of the differences of consecutive samples from the base to the last
 * sample in the window, where a value lower than the one before is a reset (the process
 * restarted and counted from zero again): the difference is then the new value itself, so a
 * restart never makes an increase negative. A histogram resets as a whole when any of its counts
 * goes down.
 */
final class Windows {
  private Windows() {}

  /**
   * The increase of each value of a cumulative series over {@code (t - w, t]}, and the time it
   * spans; null when the window holds no sample or nothing to measure from.
   */
  static Increase increase(List<Sample> s, long t, long w) {
    int end = lastAtOrBefore(s, t);
    if (end < 0 || s.get(end).t <= t - w) {
      return null;
    }
    int base = lastAtOrBefore(s, t - w);
    boolean fromBase = base >= 0 && s.get(base).t > t - 2 * w;
    int start = fromBase ? base : base + 1;
    if (start >= end) {
      return null;
    }
    int width = s.get(end).v.length;
    double[] delta = new double[width];
    for (int i = start + 1; i <= end; i++) {
      double[] prev = s.get(i - 1).v;
      double[] cur = s.get(i).v;
      boolean reset = false;
      for (int k = 0; k < width; k++) {
        if (cur[k] < prev[k] && k != Sample.SUM) {
          reset = true;
        }
      }
      for (int k = 0; k < width; k++) {
        delta[k] += reset ? cur[k] : cur[k] - prev[k];
      }
    }
    return new Increase(delta, s.get(end).t - s.get(start).t, fromBase);
  }

  /**
   * The increase of each value and the milliseconds between the samples it was measured from.
   *
   * @param fromBase whether it was measured from a sample before the window (else the series began
   *     inside it, and the increase is not extrapolated to the whole window)
   */
  record Increase(double[] delta, long spanMs, boolean fromBase) {
    /** Per second, over the span. */
    double rate(int k) {
      return delta[k] * 1000.0 / spanMs;
    }

    /**
     * Over a window of {@code w} ms: scaled from the span to the window when measured from a base
     * (exact when samples fall on the window's edges), as measured otherwise.
     */
    double over(int k, long w) {
      return fromBase ? delta[k] * w / spanMs : delta[k];
    }
  }

  /**
   * A gauge's avg (of every raw sample the window's samples stand for), min, max or last over
   * {@code (t - w, t]}; NaN when no sample falls in it.
   */
  static double gauge(List<Sample> s, long t, long w, HistoryFunction fn) {
    int end = lastAtOrBefore(s, t);
    if (end < 0 || s.get(end).t <= t - w) {
      return Double.NaN;
    }
    if (fn == HistoryFunction.LAST) {
      return s.get(end).v[Sample.G_LAST];
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double n = 0;
    for (int i = end; i >= 0 && s.get(i).t > t - w; i--) {
      double[] v = s.get(i).v;
      sum += v[Sample.G_SUM];
      n += v[Sample.G_N];
      min = Math.min(min, v[Sample.G_MIN]);
      max = Math.max(max, v[Sample.G_MAX]);
    }
    return switch (fn) {
      case MIN -> min;
      case MAX -> max;
      default -> sum / n;
    };
  }

  /** The index of the last sample stamped at or before {@code t}, or -1. */
  static int lastAtOrBefore(List<Sample> s, long t) {
    int lo = 0;
    int hi = s.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (s.get(mid).t <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
