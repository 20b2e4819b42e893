package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code burn_rate} rule, as the SRE workbook's multi-window, multi-burn-rate alerts: the error
 * ratio ({@code 1 - good / total}) over a long and a short window both above {@code factor × (1 -
 * objective)}, for any of the rule's window pairs. The value is the long window's error ratio of
 * the first pair that holds (of the first pair when none does).
 */
final class BurnRateCondition extends MetricCondition<ConditionSpec.BurnRate> {
  /** A long window, its short companion, and the burn-rate factor both must exceed. */
  record WindowPair(Duration longWindow, Duration shortWindow, double factor) {}

  static final List<WindowPair> FAST = List.of(
      new WindowPair(Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
      new WindowPair(Duration.ofHours(6), Duration.ofMinutes(30), 6));
  static final List<WindowPair> SLOW = List.of(new WindowPair(Duration.ofDays(3), Duration.ofHours(6), 1));

  private final List<WindowPair> pairs;

  BurnRateCondition(HistoryValues values, ConditionSpec.BurnRate spec) {
    super(values, spec);
    this.pairs = switch (spec.windows()) {
      case FAST -> FAST;
      case SLOW -> SLOW;
      case ALL -> java.util.stream.Stream.concat(FAST.stream(), SLOW.stream()).toList();
    };
  }

  @Override
  public String expr() {
    StringBuilder s = new StringBuilder("1 - (" + spec.good().describe() + ") / (" + spec.total().describe() + ") against "
        + AlertTransitions.formatValue(spec.objective()) + ":");
    for (WindowPair p : pairs) {
      s.append(' ').append(AlertTransitions.formatValue(p.factor())).append("x over ").append(Durations.format(p.longWindow()))
          .append(" and ").append(Durations.format(p.shortWindow()));
    }
    return s.toString();
  }

  @Override
  public List<Observation> evaluate(Instant now) {
    double budget = 1 - spec.objective();
    Map<Map<String, String>, Observation> found = new HashMap<>();
    for (WindowPair pair : pairs) {
      Map<Map<String, String>, Double> longRatio = errorRatio(pair.longWindow(), now);
      Map<Map<String, String>, Double> shortRatio = errorRatio(pair.shortWindow(), now);
      longRatio.forEach((labels, ratio) -> {
        double recent = shortRatio.getOrDefault(labels, Double.NaN);
        boolean holds = ratio > pair.factor() * budget && recent > pair.factor() * budget;
        Observation seen = found.get(labels);
        if (seen == null || (holds && !seen.holds())) {
          found.put(labels, new Observation(labels, ratio, holds));
        }
      });
    }
    return new ArrayList<>(found.values());
  }

  private Map<Map<String, String>, Double> errorRatio(Duration window, Instant now) {
    Map<Map<String, String>, Double> good = values.at(spec.good(), window, now);
    Map<Map<String, String>, Double> out = new HashMap<>();
    values.at(spec.total(), window, now).forEach((labels, total) -> {
      if (total > 0) {
        out.put(labels, Math.max(0, 1 - good.getOrDefault(labels, 0.0) / total));
      }
    });
    return out;
  }
}
