package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code absent} rule: a series that had samples in the last {@link #LOOKBACK} but none in the
 * query's window (a node that stopped reporting). A series whose last value in the lookback is
 * zero said goodbye (a node that stopped cleanly sets its {@code vigil_node_up} to 0 in a last
 * sample), so it is not missed; a series silent for longer than the lookback is forgotten and its
 * alert resolves.
 */
final class AbsentCondition extends MetricCondition<ConditionSpec.Absent> {
  /** How far back a series counts as expected. */
  static final Duration LOOKBACK = Duration.ofHours(1);


  AbsentCondition(HistoryValues values, ConditionSpec.Absent spec) {
    super(values, spec);
  }

  @Override
  public String expr() {
    return "absent(" + spec.query().describe() + ") after samples in the last " + Durations.format(LOOKBACK);
  }

  @Override
  public List<Observation> evaluate(Instant now) {
    MetricSelector last = new MetricSelector(spec.query().names(), "last", spec.query().by(), spec.query().match(), LOOKBACK);
    Map<Map<String, String>, Double> expected = values.at(last, now);
    Map<Map<String, String>, Double> recent = values.at(last, spec.query().window(), now);
    List<Observation> out = new ArrayList<>();
    expected.forEach((labels, lastValue) -> {
      boolean missing = !recent.containsKey(labels) && lastValue != 0;
      out.add(new Observation(labels, missing ? 1 : 0, missing));
    });
    return out;
  }
}
