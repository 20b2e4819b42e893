package dev.vigil.observe.history;

/**
 * Quantiles from histogram buckets, as Prometheus's {@code histogram_quantile} computes them: the
 * bucket where the rank falls is found, and the value interpolated linearly inside it, assuming
 * observations spread evenly between the bucket's bounds. The lowest bucket starts at 0 (when its
 * upper bound is positive); a rank in the {@code +Inf} bucket answers the highest finite bound.
 */
final class Quantiles {
  private Quantiles() {}

  /**
   * The {@code q} quantile of observations counted in buckets.
   *
   * @param q between 0 and 1
   * @param bounds the finite upper bounds, ascending
   * @param cumulative the number of observations at or below each bound (made monotonic here, as
   *     Prometheus does for counts that went out of step)
   * @param count every observation, the {@code +Inf} bucket
   * @return the estimate, or NaN when there are no observations or no finite bucket
   */
  static double quantile(double q, double[] bounds, double[] cumulative, double count) {
    if (Double.isNaN(q) || bounds.length == 0 || !(count > 0)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    int n = bounds.length;
    double[] counts = new double[n + 1];
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, cumulative[i]);
      counts[i] = max;
    }
    counts[n] = Math.max(max, count);
    double observations = counts[n];
    double rank = q * observations;
    int b = 0;
    while (b < n && counts[b] < rank) {
      b++;
    }
    if (b == n) {
      return bounds[n - 1];
    }
    if (b == 0 && bounds[0] <= 0) {
      return bounds[0];
    }
    double start = 0;
    double end = bounds[b];
    double inBucket = counts[b];
    if (b > 0) {
      start = bounds[b - 1];
      inBucket -= counts[b - 1];
      rank -= counts[b - 1];
    }
    return start + (end - start) * (rank / inBucket);
  }
}
