package dev.vigil.observe.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which notifications are due: groups the alerts by receiver and {@code group_by} labels,
 * and sends a group when one of its alerts started firing at least {@code group_wait} ago and was
 * not told yet, when {@code repeat_interval} has passed since the group was last told while it
 * still fires, or when an alert that was told firing has resolved (for receivers that send
 * resolved notices). Silenced alerts are left out. Pure: delivery and bookkeeping are the
 * caller's.
 */
final class NotificationPlan {
  private NotificationPlan() {}

  /** One notification to send: a group of alerts for a receiver. */
  record Delivery(Receiver receiver, String groupKey, Map<String, String> groupLabels, List<Alert> alerts) {}

  static List<Delivery> due(
      NotificationPolicy policy, List<Alert> alerts, List<Silence> silences, Instant now, Set<String> inFlight) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Alert a : alerts) {
      if (silences.stream().anyMatch(s -> s.mutes(a, now))) {
        continue;
      }
      Route route = policy.route().routeFor(a.labels());
      Map<String, String> groupLabels = new TreeMap<>();
      for (String label : route.groupBy()) {
        String v = a.labels().get(label);
        if (v != null) {
          groupLabels.put(label, v);
        }
      }
      String key = route.receiver() + ":" + groupLabels;
      groups.computeIfAbsent(key, k -> new Group(route, groupLabels)).alerts.add(a);
    }
    List<Delivery> due = new ArrayList<>();
    groups.forEach(
        (key, g) -> {
          if (inFlight.contains(key)) {
            return;
          }
          Receiver receiver = policy.receiver(g.route.receiver()).orElseThrow();
          List<Alert> firing = g.alerts.stream().filter(a -> a.state() == AlertState.FIRING).toList();
          List<Alert> resolved = g.alerts.stream().filter(a -> resolvedToTell(a, receiver)).toList();
          boolean newlyFiring =
              firing.stream()
                  .anyMatch(a -> a.notifiedState() != AlertState.FIRING
                      && !now.isBefore(a.firingSince().plus(g.route.groupWait())));
          boolean repeat =
              !firing.isEmpty()
                  && firing.stream().allMatch(a -> a.notifiedState() == AlertState.FIRING)
                  && firing.stream()
                      .map(Alert::notifiedAt)
                      .min(Instant::compareTo)
                      .map(last -> !now.isBefore(last.plus(g.route.repeatInterval())))
                      .orElse(false);
          if (newlyFiring || repeat || !resolved.isEmpty()) {
            List<Alert> sent = new ArrayList<>(firing);
            sent.addAll(resolved);
            due.add(new Delivery(receiver, key, g.groupLabels, sent));
          }
        });
    return due;
  }

  /** A resolved alert that this receiver was told was firing, and is not yet told resolved. */
  static boolean resolvedToTell(Alert a, Receiver receiver) {
    return a.state() == AlertState.RESOLVED && a.notifiedState() == AlertState.FIRING && receiver.sendResolved();
  }

  /**
   * Whether a resolved alert can be forgotten: nothing about its resolution is still to be told
   * (it was never told firing, it was told resolved, it is silenced, or its receiver does not
   * want resolved notices).
   */
  static boolean settled(NotificationPolicy policy, Alert a, List<Silence> silences, Instant now) {
    if (a.state() != AlertState.RESOLVED) {
      return false;
    }
    Receiver receiver = policy.receiver(policy.route().routeFor(a.labels()).receiver()).orElseThrow();
    return !resolvedToTell(a, receiver) || silences.stream().anyMatch(s -> s.mutes(a, now));
  }

  private static final class Group {
    final Route route;
    final Map<String, String> groupLabels;
    final List<Alert> alerts = new ArrayList<>();

    Group(Route route, Map<String, String> groupLabels) {
      this.route = route;
      this.groupLabels = groupLabels;
    }
  }
}
