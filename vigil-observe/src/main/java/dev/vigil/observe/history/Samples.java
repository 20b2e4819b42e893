package dev.vigil.observe.history;

import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.Tier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Chunks into samples and back, with the shape every kind has in every tier. */
final class Samples {
  private Samples() {}

  /**
   * The samples of one series' chunks, in time order. A raw gauge chunk holds one value per point;
   * it is read as a sample whose avg, min, max and last are that value.
   */
  static List<Sample> decode(MetricKind kind, Collection<Chunk> chunks) {
    List<Sample> out = new ArrayList<>();
    for (Chunk c : chunks) {
      for (Sample s : ChunkCodec.decode(c.start().toEpochMilli(), c.data())) {
        out.add(kind == MetricKind.GAUGE && s.v.length == 1 ? Sample.gauge(s.t, s.v[0]) : s);
      }
    }
    out.sort((a, b) -> Long.compare(a.t, b.t));
    return out;
  }

  /** The end of the aligned period of length {@code periodMs} that holds time {@code t}: periods are {@code (end - length, end]}. */
  static long periodEnd(long t, long periodMs) {
    return Math.floorDiv(t - 1, periodMs) * periodMs + periodMs;
  }

  /**
   * Rolls samples (in time order) up into buckets of {@code bucketMs}, each stamped with its end
   * and holding the samples stamped in {@code (end - bucketMs, end]}: the last cumulative values of
   * counters and histograms; the mean of the averages, the lowest minimum, the highest maximum and
   * the last value of gauges.
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
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Sample s : bucket) {
      sum += s.v[Sample.AVG];
      min = Math.min(min, s.v[Sample.MIN]);
      max = Math.max(max, s.v[Sample.MAX]);
    }
    return new Sample(end, sum / bucket.size(), min, max, last.v[Sample.LAST]);
  }

  /** A chunk of {@code tier} holding {@code samples} (non-empty, in time order, of one period). */
  static Chunk chunk(long seriesId, Tier tier, List<Sample> samples) {
    return new Chunk(
        seriesId,
        tier,
        java.time.Instant.ofEpochMilli(samples.getFirst().t),
        java.time.Instant.ofEpochMilli(samples.getLast().t),
        samples.size(),
        ChunkCodec.encode(samples));
  }
}
