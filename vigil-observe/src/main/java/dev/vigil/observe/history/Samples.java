package dev.vigil.observe.history;

import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Samples as the engine computes with them ({@link Sample}) and as chunks store them, and the
 * roll-up of samples into coarser ones.
 *
 * <p>The stored form is chosen to be small once encoded ({@link ChunkCodec}): a raw gauge keeps
 * only its value; a histogram keeps the count of each bucket rather than the cumulative count (an
 * observation then changes one stored value, not every bucket above it) and its sum as a whole
 * number of millionths (a whole number encodes in a few bytes, a fraction in up to eight). A
 * gauge's values that are not whole numbers (a CPU load, a share of slots in use, an age in
 * seconds) are kept to a float's precision, seven significant digits, which halves their encoded
 * size; whole numbers (bytes, depths, counts) are kept exactly, as are counters and bucket counts.
 * A histogram's sum is kept to a millionth of its unit (a microsecond for times).
 */
final class Samples {
  /** A histogram's sum is stored as a whole number of these. */
  static final double SUM_UNITS = 1e6;

  private Samples() {}

  /** The samples of one series' chunks, in time order. */
  static List<Sample> decode(MetricKind kind, Collection<Chunk> chunks) {
    List<Sample> out = new ArrayList<>();
    for (Chunk c : chunks) {
      for (Sample s : ChunkCodec.decode(c.start().toEpochMilli(), c.data())) {
        out.add(fromStored(kind, s));
      }
    }
    out.sort((a, b) -> Long.compare(a.t, b.t));
    return out;
  }

  /** A sample in the engine's form, from its stored form. */
  static Sample fromStored(MetricKind kind, Sample s) {
    return switch (kind) {
      case COUNTER -> s;
      case GAUGE -> s.v.length == 1 ? Sample.gauge(s.t, s.v[0]) : s;
      case HISTOGRAM -> {
        double[] v = s.v.clone();
        v[Sample.SUM] = v[Sample.SUM] / SUM_UNITS;
        for (int i = Sample.BUCKETS + 1; i < v.length; i++) {
          v[i] += v[i - 1];
        }
        yield new Sample(s.t, v);
      }
    };
  }

  /**
   * A sample's stored form: a counter as it is; a gauge as its value alone when {@code raw}, else
   * {@code [sum, n, min, max, last]}; a histogram with its sum in millionths and its buckets' own
   * counts.
   */
  static Sample toStored(MetricKind kind, Sample s, boolean raw) {
    return switch (kind) {
      case COUNTER -> s;
      case GAUGE -> raw ? new Sample(s.t, gaugeValue(s.v[Sample.G_LAST])) : new Sample(s.t, storedGauge(s.v));
      case HISTOGRAM -> new Sample(s.t, storedHistogram(s.v));
    };
  }

  /** A gauge's value as stored: a whole number exactly, any other to a float's precision. */
  static double gaugeValue(double v) {
    if (v == Math.rint(v) || Double.isNaN(v) || Math.abs(v) > Float.MAX_VALUE) {
      return v;
    }
    return (float) v;
  }

  private static double[] storedGauge(double[] values) {
    double[] v = values.clone();
    for (int i = 0; i < v.length; i++) {
      if (i != Sample.G_N) {
        v[i] = gaugeValue(v[i]);
      }
    }
    return v;
  }

  /** A histogram's values (count, sum, cumulative buckets) in their stored form. */
  static double[] storedHistogram(double[] values) {
    double[] v = values.clone();
    v[Sample.SUM] = Math.rint(v[Sample.SUM] * SUM_UNITS);
    for (int i = v.length - 1; i > Sample.BUCKETS; i--) {
      v[i] -= values[i - 1];
    }
    return v;
  }

  /** The end of the aligned period of length {@code periodMs} that holds time {@code t}: periods are {@code (end - length, end]}. */
  static long periodEnd(long t, long periodMs) {
    return Math.floorDiv(t - 1, periodMs) * periodMs + periodMs;
  }

  /**
   * Rolls samples (in time order) up into buckets of {@code bucketMs}, each stamped with its end
   * and holding the samples stamped in {@code (end - bucketMs, end]}: the last cumulative values of
   * counters and histograms; of gauges, the sum and number of the raw samples (their mean is the
   * sum over the number), the lowest minimum, the highest maximum and the last value.
   */
  static List<Sample> rollup(MetricKind kind, List<Sample> samples, long bucketMs) {
    List<Sample> out = new ArrayList<>();
    int i = 0;
    while (i < samples.size()) {
      long end = periodEnd(samples.get(i).t, bucketMs);
      int j = i;
      while (j < samples.size() && samples.get(j).t <= end) {
        j++;
      }
      out.add(aggregate(kind, samples.subList(i, j), end));
      i = j;
    }
    return out;
  }

  private static Sample aggregate(MetricKind kind, List<Sample> bucket, long end) {
    Sample last = bucket.getLast();
    if (kind != MetricKind.GAUGE) {
      return new Sample(end, last.v.clone());
    }
    double sum = 0;
    double n = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Sample s : bucket) {
      sum += s.v[Sample.G_SUM];
      n += s.v[Sample.G_N];
      min = Math.min(min, s.v[Sample.G_MIN]);
      max = Math.max(max, s.v[Sample.G_MAX]);
    }
    return new Sample(end, sum, n, min, max, last.v[Sample.G_LAST]);
  }

  /** A chunk of {@code tier} holding {@code samples} (in the engine's form; non-empty, in time order, of one period). */
  static Chunk chunk(long seriesId, MetricKind kind, Tier tier, List<Sample> samples) {
    ChunkCodec.Encoder e = null;
    for (Sample s : samples) {
      Sample stored = toStored(kind, s, tier == Tier.RAW);
      if (e == null) {
        e = new ChunkCodec.Encoder(stored.t, stored.v.length);
      }
      e.append(stored);
    }
    return new Chunk(
        seriesId, tier, Instant.ofEpochMilli(samples.getFirst().t), Instant.ofEpochMilli(samples.getLast().t),
        samples.size(), e.packed());
  }
}
