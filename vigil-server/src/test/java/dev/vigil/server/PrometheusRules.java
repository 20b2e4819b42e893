package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code deploy/prometheus/rules.yml}, read: its alerts and recording rules by name. */
record PrometheusRules(Map<String, JsonNode> alerts, Map<String, JsonNode> records) {
  /** The alert names of issue 12, shared with the built-in alert engine. */
  static final List<String> ALERTS =
      List.of(
          "VigilJobFailureRatioHigh",
          "VigilBacklogHigh",
          "VigilOldestReadyJobTooOld",
          "VigilChatQueueWaitHigh",
          "VigilDeadJobs",
          "VigilNodeDown",
          "VigilStoreUnreachable",
          "VigilHeapHigh",
          "VigilDiskFillingUp",
          "VigilEventBusDrops",
          "VigilLeaseRescuesSpiking",
          "VigilBreakerOpen",
          "VigilAvailabilityBurnRateFast",
          "VigilAvailabilityBurnRateSlow",
          "VigilHttpErrorsHigh",
          "VigilNewErrorGroup",
          "VigilErrorGroupRegressed");

  static Path file(Path root) {
    return root.resolve("deploy/prometheus/rules.yml");
  }

  static PrometheusRules read(Path root) throws IOException {
    JsonNode doc = new YAMLMapper().readTree(file(root).toFile());
    var alerts = new LinkedHashMap<String, JsonNode>();
    var records = new LinkedHashMap<String, JsonNode>();
    for (JsonNode group : doc.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.put(rule.path("alert").asText(), rule);
        } else {
          records.put(rule.path("record").asText(), rule);
        }
      }
    }
    return new PrometheusRules(alerts, records);
  }

  /** Every rule's expression by the rule's name. */
  Map<String, String> expressions() {
    var out = new LinkedHashMap<String, String>();
    records.forEach((name, rule) -> out.put(name, rule.path("expr").asText()));
    alerts.forEach((name, rule) -> out.put(name, rule.path("expr").asText()));
    return out;
  }
}
