package dev.vigil.observe.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert: a rule's condition holding (or having held) for one set of labels, with what the
 * notifications have told so far. Kept by the {@link dev.vigil.observe.alerts.spi.AlertStore} so
 * that the node that evaluates next (after a leader failover) carries on where the last one
 * stopped.
 *
 * @param fingerprint a stable id of the rule and labels
 * @param labels every label of the alert: {@code alertname}, {@code severity}, the rule's labels
 *     and the series'
 * @param activeSince when its condition started to hold
 * @param firingSince when it started firing; null while pending
 * @param lastActiveAt the last evaluation at which its condition held
 * @param resolvedAt when it resolved; null until then
 * @param value the value seen at the last evaluation
 * @param notifiedState what the last delivered notification said of it: {@code firing}, {@code
 *     resolved}, or null when none was delivered
 * @param notifiedAt when that notification was delivered
 */
public record Alert(
    String fingerprint,
    String rule,
    Map<String, String> labels,
    Map<String, String> annotations,
    AlertState state,
    Instant activeSince,
    Instant firingSince,
    Instant lastActiveAt,
    Instant resolvedAt,
    double value,
    AlertState notifiedState,
    Instant notifiedAt) {

  public Alert {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(rule, "rule");
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(activeSince, "activeSince");
  }

  /** How long it fired, up to {@code until}; zero while pending. */
  public Duration firedFor(Instant until) {
    return firingSince == null ? Duration.ZERO : Duration.between(firingSince, until);
  }

  Alert with(AlertState s, Instant firing, Instant lastActive, Instant resolved, double v) {
    return new Alert(fingerprint, rule, labels, annotations, s, activeSince, firing, lastActive, resolved, v, notifiedState, notifiedAt);
  }

  /** This alert, as a delivered notification left it. */
  public Alert notified(AlertState told, Instant at) {
    return new Alert(fingerprint, rule, labels, annotations, state, activeSince, firingSince, lastActiveAt, resolvedAt, value, told, at);
  }
}
