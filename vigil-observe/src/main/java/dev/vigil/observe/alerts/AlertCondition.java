package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.List;

/**
 * The condition of an alert rule: evaluated at an instant, it tells for each series it looked at
 * whether the condition holds, and the value it saw. Series for which it holds become (or stay)
 * alerts; the others do not.
 */
public interface AlertCondition {
  /** The rule kind: {@code threshold}, {@code ratio}, {@code absent}, {@code burn_rate}, ... */
  String kind();

  /** A one-line description of what is evaluated, for {@code GET /api/v1/alerts/rules}. */
  String expr();

  /**
   * Evaluates the condition at {@code now}.
   *
   * @throws RuntimeException when it cannot be evaluated (a store error, a metric that does not
   *     exist): the rule's health becomes {@code error} and its alerts keep their state
   */
  List<Observation> evaluate(Instant now);
}
