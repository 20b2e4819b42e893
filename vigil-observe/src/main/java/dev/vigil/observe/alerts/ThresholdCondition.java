package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.List;

/** A {@code threshold} rule: each series' value over the window compared with a fixed value. */
final class ThresholdCondition extends MetricCondition<ConditionSpec.Threshold> {

  ThresholdCondition(HistoryValues values, ConditionSpec.Threshold spec) {
    super(values, spec);
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
