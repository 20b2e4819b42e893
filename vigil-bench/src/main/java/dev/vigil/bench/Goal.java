package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A target a scenario is held to, with what the run measured and whether that meets it, as the
 * report and the table show it: {@code {"goal","result","met"}}.
 *
 * @param goal the target in words ({@code accepted requests p95 < 1200 ms})
 * @param result what was measured, in words with its unit
 * @param met whether the result meets the target
 */
record Goal(String goal, String result, boolean met) {

  /** A goal on a figure that must stay under {@code limit}. */
  static Goal under(String what, double value, double limit, String unit) {
    return new Goal(
        what + " < " + Figures.round1(limit) + " " + unit,
        Figures.round2(value) + " " + unit,
        value < limit);
  }

  /** A goal on a count that must be zero. */
  static Goal none(String what, long count) {
    return new Goal(what + ": none", Long.toString(count), count == 0);
  }

  Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("goal", goal);
    m.put("result", result);
    m.put("met", met);
    return m;
  }
}
