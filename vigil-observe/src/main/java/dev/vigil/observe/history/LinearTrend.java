package dev.vigil.observe.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A straight line fitted by least squares through a series' points: where a metric is heading, for
 * forecasts ("the disk is full in 4 hours") and {@code forecast} alert rules.
 *
 * @param at the instant the line is anchored at (the last point's)
 * @param valueAt the fitted value at {@code at}
 * @param slopePerSecond how much the value changes a second
 * @param rSquared how well the line fits, 0 (not at all) to 1 (every point on it): how sure a
 *     forecast is
 * @param points how many points it was fitted through
 */
public record LinearTrend(Instant at, double valueAt, double slopePerSecond, double rSquared, int points) {
  /** The fewest points a trend is fitted through. */
  public static final int MIN_POINTS = 3;

  /** The line through {@code points}, or empty with fewer than {@link #MIN_POINTS} or all at one instant. */
  public static Optional<LinearTrend> fit(List<HistoryResult.Point> points) {
    int n = points.size();
    if (n < MIN_POINTS) {
      return Optional.empty();
    }
    Instant last = points.getLast().at();
    double sx = 0;
    double sy = 0;
    for (HistoryResult.Point p : points) {
      sx += seconds(p.at(), last);
      sy += p.value();
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (HistoryResult.Point p : points) {
      double dx = seconds(p.at(), last) - mx;
      double dy = p.value() - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    if (sxx == 0) {
      return Optional.empty();
    }
    double slope = sxy / sxx;
    double r2 = syy == 0 ? 1 : Math.min(1, (sxy * sxy) / (sxx * syy));
    return Optional.of(new LinearTrend(last, my - slope * mx, slope, r2, n));
  }

  /** The line's value at {@code t}. */
  public double value(Instant t) {
    return valueAt + slopePerSecond * seconds(t, at);
  }

  /**
   * How long from {@code now} until the line reaches {@code target}: zero when it is there now,
   * empty when it is flat or moves away from it (whether it is past it already is the caller's
   * question).
   */
  public Optional<Duration> timeTo(double target, Instant now) {
    double v = value(now);
    if (v == target) {
      return Optional.of(Duration.ZERO);
    }
    if (slopePerSecond == 0 || Math.signum(target - v) != Math.signum(slopePerSecond)) {
      return Optional.empty();
    }
    double s = (target - v) / slopePerSecond;
    return s > Duration.ofDays(365_000).toSeconds() ? Optional.empty() : Optional.of(Duration.ofMillis((long) (s * 1000)));
  }

  private static double seconds(Instant t, Instant origin) {
    return (t.toEpochMilli() - origin.toEpochMilli()) / 1000.0;
  }
}
