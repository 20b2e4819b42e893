package dev.vigil.observe.history;

import java.util.Locale;

/** What a stored series holds, and so which query functions apply to it. */
public enum MetricKind {
  /** A cumulative count that only goes up (down only when its process restarts): rate, increase. */
  COUNTER,
  /** A value that goes up and down: avg, min, max, last. */
  GAUGE,
  /** Cumulative bucket counts, a count and a sum of observations: quantiles and the mean. */
  HISTOGRAM;

  /** The name on the wire and in the store: {@code counter}, {@code gauge}, {@code histogram}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind named {@code name}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static MetricKind fromWire(String name) {
    for (MetricKind k : values()) {
      if (k.wireName().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown metric kind '" + name + "'");
  }
}
