package dev.vigil.observe.alerts;

import dev.vigil.observe.errors.ErrorGroups;
import dev.vigil.observe.history.MetricHistory;
import java.time.Instant;
import java.util.List;

/**
 * Binds rules as declared ({@link RuleSpec}) to what they read: metric history for the metric
 * kinds, the error groups for {@code new_error_group} and {@code error_group_regressed}. A rule
 * whose source is switched off still binds; its evaluation fails and its health says why.
 */
public final class RuleBinder {
  private final HistoryValues history;
  private final ErrorGroups errorGroups;

  /**
   * @param history the metric history metric rules read, or null when history is off
   * @param errorGroups the error groups, or null when grouping is off
   */
  public RuleBinder(MetricHistory history, ErrorGroups errorGroups) {
    this.history = history == null ? null : new HistoryValues(history);
    this.errorGroups = errorGroups;
  }

  /** The rule with its condition bound. */
  public AlertRule bind(RuleSpec spec) {
    return spec.bind(condition(spec.condition()));
  }

  private AlertCondition condition(ConditionSpec c) {
    return switch (c) {
      case ConditionSpec.NewErrorGroup g -> errorGroups == null ? off(c, "error grouping") : new ErrorGroupCondition(errorGroups, false);
      case ConditionSpec.ErrorGroupRegressed g -> errorGroups == null ? off(c, "error grouping") : new ErrorGroupCondition(errorGroups, true);
      default -> history == null ? off(c, "metric history") : metric(c);
    };
  }

  private AlertCondition metric(ConditionSpec c) {
    return switch (c) {
      case ConditionSpec.Threshold t -> new ThresholdCondition(history, t);
      case ConditionSpec.Ratio r -> new RatioCondition(history, r);
      case ConditionSpec.Absent a -> new AbsentCondition(history, a);
      case ConditionSpec.BurnRate b -> new BurnRateCondition(history, b);
      case ConditionSpec.Forecast f -> new ForecastCondition(history, f);
      case ConditionSpec.NewErrorGroup g -> throw new IllegalStateException();
      case ConditionSpec.ErrorGroupRegressed g -> throw new IllegalStateException();
    };
  }

  private static AlertCondition off(ConditionSpec c, String what) {
    return new AlertCondition() {
      @Override
      public String kind() {
        return c.kind();
      }

      @Override
      public String expr() {
        return c.kind() + " (needs " + what + ", which is off)";
      }

      @Override
      public List<Observation> evaluate(Instant now) {
        throw new IllegalStateException(what + " is switched off on this node");
      }
    };
  }
}
