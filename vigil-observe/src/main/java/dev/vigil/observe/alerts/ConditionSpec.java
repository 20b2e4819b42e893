package dev.vigil.observe.alerts;

import java.time.Duration;
import java.util.Objects;

/**
 * What a rule's condition checks, as the rules file says it; {@link Conditions} turns it into an
 * {@link AlertCondition} over the metric history and the error groups.
 */
public sealed interface ConditionSpec {
  /** The kind, as written in the rules file. */
  String kind();

  /** A query's value compared with a fixed value. */
  record Threshold(MetricSelector query, Comparison op, double value) implements ConditionSpec {
    public String kind() { return "threshold"; }
  }

  /**
   * One query divided by another (errors over total), series by series, compared with a fixed
   * value; a series whose denominator is below {@code minDenominator} is not judged (one failure
   * of one attempt is not a failure ratio).
   */
  record Ratio(MetricSelector numerator, MetricSelector denominator, Comparison op, double value, double minDenominator)
      implements ConditionSpec {
    public String kind() { return "ratio"; }
  }

  /** No samples of a query in its window (a node that stopped reporting). */
  record Absent(MetricSelector query) implements ConditionSpec {
    public String kind() { return "absent"; }
  }

  /**
   * An availability objective's error budget burning too fast, as the SRE workbook's multi-window
   * alerts: {@code good} over {@code total} against {@code objective}, each pair of windows with
   * its burn-rate factor.
   */
  record BurnRate(double objective, MetricSelector good, MetricSelector total, BurnWindows windows) implements ConditionSpec {
    public BurnRate {
      if (!(objective > 0 && objective < 1)) {
        throw new IllegalArgumentException("objective must be between 0 and 1 exclusive");
      }
      Objects.requireNonNull(good, "good");
      Objects.requireNonNull(total, "total");
      Objects.requireNonNull(windows, "windows");
    }

    public String kind() { return "burn_rate"; }
  }

  /**
   * Which of the SRE workbook's window pairs a burn-rate rule checks: {@code fast} (14.4 over 1 h
   * and 5 m, or 6 over 6 h and 30 m: page), {@code slow} (1 over 3 d and 6 h: ticket), or {@code
   * all} of them.
   */
  enum BurnWindows {
    FAST,
    SLOW,
    ALL
  }

  /** A linear fit over the query's window that reaches {@code value} within {@code horizon}. */
  record Forecast(MetricSelector query, Comparison op, double value, Duration horizon) implements ConditionSpec {
    public String kind() { return "forecast"; }
  }

  /** A new error group appeared. */
  record NewErrorGroup() implements ConditionSpec {
    public String kind() { return "new_error_group"; }
  }

  /** A resolved error group happened again. */
  record ErrorGroupRegressed() implements ConditionSpec {
    public String kind() { return "error_group_regressed"; }
  }
}
