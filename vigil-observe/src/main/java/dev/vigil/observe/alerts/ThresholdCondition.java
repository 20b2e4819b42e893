package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.List;

/** A {@code threshold} rule: each series' value over the window compared with a fixed value. */
final class ThresholdCondition implements AlertCondition {
  private final HistoryValues values;
  private final ConditionSpec.Threshold spec;

  ThresholdCondition(HistoryValues values, ConditionSpec.Threshold spec) {
    this.values = values;
    this.spec = spec;
  }

  @Override
  public String kind() {
    return spec.kind();
  }

  @Override
  public String expr() {
    return spec.query().describe() + " " + spec.op().symbol() + " " + AlertTransitions.formatValue(spec.value());
  }

  @Override
  public List<Observation> evaluate(Instant now) {
    return values.at(spec.query(), now).entrySet().stream()
        .map(e -> new Observation(e.getKey(), e.getValue(), spec.op().holds(e.getValue(), spec.value())))
        .toList();
  }
}
