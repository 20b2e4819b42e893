package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.observe.alerts.DefaultRules;
import dev.vigil.observe.alerts.RuleSpec;
import dev.vigil.observe.history.Durations;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Vigil's built-in alert rules and the Prometheus rules it ships are the same alerts: the same
 * names, severities, {@code for} and runbook links, so an operator who moves from one to the other
 * (or runs both) reads the same runbook.
 */
class BuiltInRulesTest {
  @Test
  void the_built_in_rules_are_the_prometheus_alerts_with_the_same_severity_for_and_runbook() throws IOException {
    PrometheusRules prometheus = PrometheusRules.read(DeploymentFilesTest.repositoryRoot());

    assertThat(DefaultRules.all()).extracting(RuleSpec::name).containsExactlyElementsOf(PrometheusRules.ALERTS);
    for (RuleSpec rule : DefaultRules.all()) {
      JsonNode alert = prometheus.alerts().get(rule.name());
      assertThat(rule.severity()).as(rule.name() + " severity").isEqualTo(alert.path("labels").path("severity").asText());
      assertThat(rule.forDuration()).as(rule.name() + " for")
          .isEqualTo(Durations.parse(alert.path("for").asText()).orElse(Duration.ZERO));
      assertThat(rule.annotations().get("runbook_url")).as(rule.name() + " runbook")
          .isEqualTo(alert.path("annotations").path("runbook_url").asText());
    }
  }
}
