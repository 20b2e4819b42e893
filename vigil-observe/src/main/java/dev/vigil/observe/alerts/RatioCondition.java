package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code ratio} rule: the numerator over the denominator, series by series (joined on their
 * {@code by} labels), compared with a fixed value. A series whose denominator is under {@code
 * min_denominator} (or zero) is not judged; one with no numerator has a ratio of zero.
 */
final class RatioCondition extends MetricCondition<ConditionSpec.Ratio> {

  RatioCondition(HistoryValues values, ConditionSpec.Ratio spec) {
    super(values, spec);
  }

  @Override
  public String expr() {
    return "(" + spec.numerator().describe() + ") / (" + spec.denominator().describe() + ") " + spec.op().symbol() + " "
        + AlertTransitions.formatValue(spec.value());
  }

  @Override
  public List<Observation> evaluate(Instant now) {
    Map<Map<String, String>, Double> numerators = values.at(spec.numerator(), now);
    List<Observation> out = new ArrayList<>();
    values.at(spec.denominator(), now).forEach((labels, denominator) -> {
      if (denominator > 0 && denominator >= spec.minDenominator()) {
        double ratio = numerators.getOrDefault(labels, 0.0) / denominator;
        out.add(new Observation(labels, ratio, spec.op().holds(ratio, spec.value())));
      }
    });
    return out;
  }
}
