package dev.vigil.observe.history;

import dev.vigil.observe.history.spi.SeriesKey;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a meter as history stores it, named as Prometheus shows it at {@code /metrics}: counters
 * ({@code _total}) keep their cumulative count; gauges their value; timers and distribution
 * summaries their count, sum and cumulative bucket counts (times in seconds). Long task timers and
 * custom meters are not kept; a timer's {@code _max} is not either (it is a gauge over a sliding
 * window, not a cumulative value).
 *
 * <p>Bucket counts must be cumulative since the meter was created, as a Prometheus registry keeps
 * them; registries that reset their histograms every step (a plain {@code SimpleMeterRegistry})
 * would read as resets.
 */
final class MeterReadings {
  private MeterReadings() {}

  /** A meter's key and values, as one sample's values for its kind. */
  record Reading(SeriesKey key, double[] values) {}

  /** Reads {@code meter} into {@code out}; meters history does not keep, and NaN gauges, are skipped. */
  static void read(Meter meter, String node, Consumer<Reading> out) {
    Meter.Id id = meter.getId();
    meter.use(
        gauge ->
            scalar(
                id, MetricKind.GAUGE, node,
                gauge instanceof TimeGauge tg ? tg.value(TimeUnit.SECONDS) : gauge.value(),
                gauge instanceof TimeGauge, out),
        counter -> scalar(id, MetricKind.COUNTER, node, counter.count(), false, out),
        timer -> histogram(id, node, timer.takeSnapshot(), true, out),
        summary -> histogram(id, node, summary.takeSnapshot(), false, out),
        longTask -> {},
        timeGauge -> scalar(id, MetricKind.GAUGE, node, timeGauge.value(TimeUnit.SECONDS), true, out),
        functionCounter -> scalar(id, MetricKind.COUNTER, node, functionCounter.count(), false, out),
        functionTimer -> functionTimer(id, node, functionTimer, out),
        other -> {});
  }

  private static void scalar(Meter.Id id, MetricKind kind, String node, double value, boolean seconds, Consumer<Reading> out) {
    if (Double.isNaN(value)) {
      return;
    }
    out.accept(new Reading(key(id, kind, node, seconds, List.of()), new double[] {value}));
  }

  private static void histogram(Meter.Id id, String node, HistogramSnapshot s, boolean seconds, Consumer<Reading> out) {
    CountAtBucket[] buckets = s.histogramCounts();
    List<Double> bounds = new ArrayList<>(buckets.length);
    double[] values = new double[Sample.BUCKETS + buckets.length];
    values[Sample.COUNT] = s.count();
    values[Sample.SUM] = seconds ? s.total(TimeUnit.SECONDS) : s.total();
    for (int i = 0; i < buckets.length; i++) {
      double bound = seconds ? buckets[i].bucket(TimeUnit.SECONDS) : buckets[i].bucket();
      if (Double.isInfinite(bound)) {
        values = java.util.Arrays.copyOf(values, Sample.BUCKETS + i);
        break;
      }
      bounds.add(bound);
      values[Sample.BUCKETS + i] = buckets[i].count();
    }
    out.accept(new Reading(key(id, MetricKind.HISTOGRAM, node, seconds, bounds), values));
  }

  private static void functionTimer(Meter.Id id, String node, FunctionTimer t, Consumer<Reading> out) {
    out.accept(
        new Reading(
            key(id, MetricKind.HISTOGRAM, node, true, List.of()),
            new double[] {t.count(), t.totalTime(TimeUnit.SECONDS)}));
  }

  private static SeriesKey key(Meter.Id id, MetricKind kind, String node, boolean seconds, List<Double> bounds) {
    TreeMap<String, String> labels = new TreeMap<>();
    for (Tag tag : id.getTagsAsIterable()) {
      String label = sanitise(tag.getKey());
      labels.put(label.equals("node") ? "exported_node" : label, tag.getValue());
    }
    return new SeriesKey(name(id, kind, seconds), kind, node, labels, bounds);
  }

  /**
   * The Prometheus name of a meter: dots and other characters Prometheus does not allow become
   * underscores, the base unit is appended (seconds for times), and counters end in {@code _total}.
   */
  static String name(Meter.Id id, MetricKind kind, boolean seconds) {
    String name = sanitise(id.getName());
    String unit = seconds ? "seconds" : id.getBaseUnit();
    if (unit != null && !unit.isBlank()) {
      String suffix = "_" + sanitise(unit.toLowerCase(Locale.ROOT));
      if (!name.endsWith(suffix)) {
        name += suffix;
      }
    }
    if (kind == MetricKind.COUNTER && !name.endsWith("_total")) {
      name += "_total";
    }
    return name;
  }

  private static String sanitise(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      b.append(ok ? c : '_');
    }
    return b.toString();
  }
}
