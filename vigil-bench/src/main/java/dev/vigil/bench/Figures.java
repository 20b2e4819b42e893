package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Turns measurements into the figures the JSON report and the table share: {@code jobs_per_s},
 * {@code p50_ms}, {@code p99_ms}, {@code p999_ms}, {@code max_ms}, {@code cpu_us_per_job}.
 * Latencies are recorded in microseconds in an HdrHistogram with three significant digits.
 */
final class Figures {
  private Figures() {}

  /** A histogram for latencies from 1 µs to one hour, in microseconds. */
  static Histogram latencyHistogram() {
    return new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  }

  /** Records a latency given in nanoseconds (negative values, from clock skew, count as zero). */
  static void recordNanos(Histogram h, long nanos) {
    long micros = Math.max(1, nanos / 1_000);
    h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
  }

  /** p50, p99, p99.9 and max of a histogram in milliseconds, plus the sample count. */
  static Map<String, Object> latencies(Histogram h) {
    var m = new LinkedHashMap<String, Object>();
    m.put("p50_ms", ms(h.getValueAtPercentile(50)));
    m.put("p99_ms", ms(h.getValueAtPercentile(99)));
    m.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
    m.put("max_ms", ms(h.getMaxValue()));
    m.put("samples", h.getTotalCount());
    return m;
  }

  /** As {@link #latencies}, with p95 after p50: where a goal is set on the p95. */
  static Map<String, Object> latenciesWithP95(Histogram h) {
    var m = new LinkedHashMap<String, Object>();
    m.put("p50_ms", ms(h.getValueAtPercentile(50)));
    m.put("p95_ms", ms(h.getValueAtPercentile(95)));
    m.putAll(latencies(h));
    return m;
  }

  /** Jobs per second, rounded to a whole number. */
  static long perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : Math.round(count * 1e9 / nanos);
  }

  /** Microseconds of CPU per job, to one decimal. */
  static double cpuMicrosPerJob(long cpuNanos, long jobs) {
    return jobs == 0 ? 0 : round1(cpuNanos / 1_000.0 / jobs);
  }

  static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
