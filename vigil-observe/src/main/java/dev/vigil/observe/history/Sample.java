package dev.vigil.observe.history;

import java.util.Arrays;

/**
 * One point of a series: a time (epoch milliseconds) and its values. What the values are depends
 * on the kind: a counter's cumulative value; a gauge's {@code [sum, n, min, max, last]} over the
 * {@code n} raw samples it stands for (a raw sample: {@code [v, 1, v, v, v]}), so that means weigh
 * every raw sample alike at every resolution; a histogram's {@code [count, sum, cumulative count
 * at each finite bucket bound...]}. This is the form the engine computes with; chunks store a
 * more compact one ({@link Samples}).
 */
final class Sample {
  static final int G_SUM = 0;
  static final int G_N = 1;
  static final int G_MIN = 2;
  static final int G_MAX = 3;
  static final int G_LAST = 4;
  static final int COUNT = 0;
  static final int SUM = 1;
  static final int BUCKETS = 2;

  final long t;
  final double[] v;

  Sample(long t, double... v) {
    this.t = t;
    this.v = v;
  }

  /** A gauge's raw sample of {@code value}. */
  static Sample gauge(long t, double value) {
    return new Sample(t, value, 1, value, value, value);
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
