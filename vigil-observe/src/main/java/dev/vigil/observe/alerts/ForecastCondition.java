package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import dev.vigil.observe.history.LinearTrend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code forecast} rule: a straight line fitted through the query's points over its window (one
 * a minute, at least {@link LinearTrend#MIN_POINTS}) that meets the threshold within the horizon
 * (the disk full in 6 hours, a backlog reaching capacity). It holds too when the value is past the
 * threshold already. The value is the seconds until the line meets it; a series whose line never
 * meets it is not reported.
 */
final class ForecastCondition extends MetricCondition<ConditionSpec.Forecast> {
  private static final int POINTS = 60;


  ForecastCondition(HistoryValues values, ConditionSpec.Forecast spec) {
    super(values, spec);
  }

  @Override
  public String expr() {
    return "linear fit of " + spec.query().describe() + " " + spec.op().symbol() + " "
        + AlertTransitions.formatValue(spec.value()) + " within " + Durations.format(spec.horizon());
  }

  @Override
  public List<Observation> evaluate(Instant now) {
    Duration window = spec.query().window();
    Duration step = Duration.ofMillis(Math.max(1_000, window.toMillis() / POINTS));
    List<Observation> out = new ArrayList<>();
    values.series(spec.query(), now.minus(window), now, step).forEach((labels, points) -> {
      if (points.isEmpty()) {
        return;
      }
      if (spec.op().holds(points.getLast().value(), spec.value())) {
        out.add(new Observation(labels, 0, true));
        return;
      }
      LinearTrend.fit(points).flatMap(t -> t.timeTo(spec.value(), now)).ifPresent(
          until -> out.add(new Observation(labels, until.toSeconds(), until.compareTo(spec.horizon()) <= 0)));
    });
    return out;
  }
}
