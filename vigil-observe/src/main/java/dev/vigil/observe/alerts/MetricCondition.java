package dev.vigil.observe.alerts;

/** A rule condition over metric history: what all of them keep, the history and their declared spec. */
abstract class MetricCondition<S extends ConditionSpec> implements AlertCondition {
  final HistoryValues values;
  final S spec;

  MetricCondition(HistoryValues values, S spec) {
    this.values = values;
    this.spec = spec;
  }

  @Override
  public String kind() {
    return spec.kind();
  }
}
