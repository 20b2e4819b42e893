package dev.vigil.observe.history;

import java.util.Arrays;

/**
 * One point of a series: a time (epoch milliseconds) and its values. What the values are depends
 * on the kind: a counter's cumulative value; a gauge's {@code [avg, min, max, last]} (a raw gauge
 * sample has all four equal); a histogram's {@code [count, sum, cumulative count of each finite
 * bucket...]}.
 */
final class Sample {
  static final int AVG = 0;
  static final int MIN = 1;
  static final int MAX = 2;
  static final int LAST = 3;
  static final int COUNT = 0;
  static final int SUM = 1;
  static final int BUCKETS = 2;

  final long t;
  final double[] v;

  Sample(long t, double... v) {
    this.t = t;
    this.v = v;
  }

  /** A gauge's sample with avg, min, max and last all {@code value}. */
  static Sample gauge(long t, double value) {
    return new Sample(t, value, value, value, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s && s.t == t && Arrays.equals(s.v, v);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(t) * 31 + Arrays.hashCode(v);
  }

  @Override
  public String toString() {
    return t + Arrays.toString(v);
  }
}
