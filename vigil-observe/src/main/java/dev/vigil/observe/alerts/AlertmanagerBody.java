package dev.vigil.observe.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook body, version 4, so that anything that receives Alertmanager's webhooks
 * (chat bridges, incident tools) receives Vigil's: {@code version}, {@code groupKey}, {@code
 * status} ({@code firing} while any alert of the group fires), {@code receiver}, {@code
 * groupLabels}, {@code commonLabels}, {@code commonAnnotations}, {@code externalURL} and {@code
 * alerts[]} with {@code status}, {@code labels}, {@code annotations}, {@code startsAt}, {@code
 * endsAt} (Alertmanager's zero time while firing), {@code generatorURL} and {@code fingerprint}.
 */
final class AlertmanagerBody {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private AlertmanagerBody() {}

  static byte[] of(NotificationPlan.Delivery d, String externalUrl) {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "4");
    body.put("groupKey", d.groupKey());
    body.put("truncatedAlerts", 0);
    boolean firing = d.alerts().stream().anyMatch(a -> a.state() == AlertState.FIRING);
    body.put("status", firing ? "firing" : "resolved");
    body.put("receiver", d.receiver().name());
    putMap(body.putObject("groupLabels"), d.groupLabels());
    putMap(body.putObject("commonLabels"), common(d.alerts().stream().map(Alert::labels).toList()));
    putMap(body.putObject("commonAnnotations"), common(d.alerts().stream().map(Alert::annotations).toList()));
    body.put("externalURL", externalUrl);
    var alerts = body.putArray("alerts");
    for (Alert a : d.alerts()) {
      ObjectNode n = alerts.addObject();
      n.put("status", a.state() == AlertState.FIRING ? "firing" : "resolved");
      putMap(n.putObject("labels"), a.labels());
      putMap(n.putObject("annotations"), a.annotations());
      n.put("startsAt", time(a.firingSince() != null ? a.firingSince() : a.activeSince()));
      n.put("endsAt", a.resolvedAt() == null ? ZERO_TIME : time(a.resolvedAt()));
      n.put("generatorURL", externalUrl + "/api/v1/alerts");
      n.put("fingerprint", a.fingerprint());
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String time(Instant at) {
    return at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  private static void putMap(ObjectNode node, Map<String, String> map) {
    map.forEach(node::put);
  }

  /** The entries every map has, with the same value. */
  private static Map<String, String> common(List<Map<String, String>> maps) {
    Map<String, String> common = new LinkedHashMap<>();
    if (maps.isEmpty()) {
      return common;
    }
    maps.getFirst().forEach(
        (k, v) -> {
          if (maps.stream().allMatch(m -> v.equals(m.get(k)))) {
            common.put(k, v);
          }
        });
    return common;
  }
}
