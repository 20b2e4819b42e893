package dev.vigil.observe.alerts;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The receivers and the route tree of the rules file: where each alert's notifications go.
 * {@link #NONE} sends nothing (alerts are still evaluated, logged and listed).
 */
public record NotificationPolicy(List<Receiver> receivers, Route route) {
  /** No receivers: notifications are only logged. */
  public static final NotificationPolicy NONE =
      new NotificationPolicy(
          List.of(new Receiver("log", null, true)),
          new Route("log", List.of("alertname"), Duration.ZERO, Duration.ofHours(4), Map.of(), List.of()));

  public NotificationPolicy {
    receivers = List.copyOf(receivers);
    Objects.requireNonNull(route, "route");
    Map<String, Receiver> byName = new LinkedHashMap<>();
    for (Receiver r : receivers) {
      if (byName.put(r.name(), r) != null) {
        throw new IllegalArgumentException("receiver '" + r.name() + "' is defined twice");
      }
    }
    requireKnown(route, byName);
  }

  /** The receiver of that name. */
  public Optional<Receiver> receiver(String name) {
    return receivers.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  private static void requireKnown(Route route, Map<String, Receiver> receivers) {
    if (!receivers.containsKey(route.receiver())) {
      throw new IllegalArgumentException("route names receiver '" + route.receiver() + "', which is not defined");
    }
    route.routes().forEach(r -> requireKnown(r, receivers));
  }
}
