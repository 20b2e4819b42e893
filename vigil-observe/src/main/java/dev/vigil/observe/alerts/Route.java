package dev.vigil.observe.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which receiver an alert goes to and how its notifications are grouped, as Alertmanager's route:
 * an alert takes the first child route whose {@code match} labels it has (recursively), else this
 * route. Alerts of one receiver with the same values of {@code groupBy} are sent together, first
 * {@code groupWait} after the first of them fires, again every {@code repeatInterval} while any
 * fires, and once more when they resolve (if the receiver sends resolved notices).
 */
public record Route(
    String receiver,
    List<String> groupBy,
    Duration groupWait,
    Duration repeatInterval,
    Map<String, String> match,
    List<Route> routes) {

  public Route {
    Objects.requireNonNull(receiver, "receiver");
    groupBy = List.copyOf(groupBy);
    Objects.requireNonNull(groupWait, "groupWait");
    Objects.requireNonNull(repeatInterval, "repeatInterval");
    match = Map.copyOf(match);
    routes = List.copyOf(routes);
  }

  /** The route an alert with these labels takes: the deepest matching one. */
  Route routeFor(Map<String, String> labels) {
    for (Route child : routes) {
      if (child.match.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
        return child.routeFor(labels);
      }
    }
    return this;
  }
}
