package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.observe.alerts.Comparison;
import dev.vigil.observe.alerts.ConditionSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsFileTest {

  /** The example of the rules-file contract, as other tools write it. */
  private static final String CONTRACT =
      """
      receivers:
        - name: ops
          webhook: http://127.0.0.1:9093/hook     # gets Alertmanager's webhook body
          send_resolved: true
      route: {receiver: ops, group_by: [alertname, lane], group_wait: 10s, repeat_interval: 4h}
      rules:
        - name: ChatQueueWaitHigh
          kind: threshold
          query: {name: vigil_job_queue_wait_seconds, fn: p99, match: {lane: cognition}, window: 5m}
          op: ">"
          value: 5
          for: 1m
          keep_firing_for: 0s
          severity: page
          labels: {team: chat}
          annotations: {summary: "Chat replies wait over 5 s", runbook_url: "docs/runbooks.md#chatqueuewaithigh"}
      """;

  @Test
  void the_contract_example_reads_as_written() {
    AlertsFile.Parsed p = AlertsFile.parse(CONTRACT, "alerts.yaml");

    assertThat(p.policy().receivers()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("ops");
      assertThat(r.webhook()).isEqualTo(URI.create("http://127.0.0.1:9093/hook"));
      assertThat(r.sendResolved()).isTrue();
    });
    assertThat(p.policy().route().groupBy()).containsExactly("alertname", "lane");
    assertThat(p.policy().route().groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.policy().route().repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(p.rules()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("ChatQueueWaitHigh");
      assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(1));
      assertThat(r.keepFiringFor()).isZero();
      assertThat(r.severity()).isEqualTo("page");
      assertThat(r.labels()).isEqualTo(Map.of("team", "chat"));
      assertThat(r.annotations()).containsEntry("runbook_url", "docs/runbooks.md#chatqueuewaithigh");
      assertThat(r.condition()).isInstanceOfSatisfying(ConditionSpec.Threshold.class, t -> {
        assertThat(t.query().names()).containsExactly("vigil_job_queue_wait_seconds");
        assertThat(t.query().fn()).isEqualTo("p99");
        assertThat(t.query().match()).isEqualTo(Map.of("lane", "cognition"));
        assertThat(t.query().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.op()).isEqualTo(Comparison.GT);
        assertThat(t.value()).isEqualTo(5);
      });
    });
  }

  @Test
  void every_kind_reads_its_own_fields_and_defaults_can_be_switched_off() {
    AlertsFile.Parsed p =
        AlertsFile.parse(
            """
            defaults: {disable: [VigilDeadJobs, VigilHeapHigh]}
            rules:
              - {name: Failing, kind: ratio, op: ">", value: 0.2,
                 numerator: {name: vigil_jobs_failed_total, fn: increase, by: [lane, type], window: 10m},
                 denominator: {name: vigil_jobs_started_total, fn: increase, by: [lane, type], window: 10m}}
              - {name: Gone, kind: absent, query: {name: vigil_worker_slots, by: [node], window: 2m}}
              - {name: Budget, kind: burn_rate, objective: 0.99,
                 good: {name: vigil_jobs_succeeded_total},
                 total: {name: [vigil_jobs_succeeded_total, vigil_jobs_dead_total]}}
              - {name: DiskFull, kind: forecast, query: {name: vigil_data_dir_free_bytes, window: 1h}, op: "<", value: 0, horizon: 6h}
              - {name: NewGroup, kind: new_error_group}
              - {name: Regressed, kind: error_group_regressed}
            """,
            "alerts.yaml");

    assertThat(p.disabledDefaults()).containsExactly("VigilDeadJobs", "VigilHeapHigh");
    assertThat(p.policy()).as("no receivers: notifications are only logged").isNull();
    assertThat(p.rules()).extracting(r -> r.condition().kind())
        .containsExactly("ratio", "absent", "burn_rate", "forecast", "new_error_group", "error_group_regressed");
    var burn = (ConditionSpec.BurnRate) p.rules().get(2).condition();
    assertThat(burn.total().names()).containsExactly("vigil_jobs_succeeded_total", "vigil_jobs_dead_total");
    assertThat(((ConditionSpec.Forecast) p.rules().get(3).condition()).horizon()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void a_bad_file_names_the_first_bad_key_in_one_line() {
    assertRefused("rules: [{name: A, kind: threshold, query: {name: m}, op: \">\", value: 1, colour: red}]",
        "alerts.yaml: rules[0].colour: unknown key");
    assertRefused("rules: [{name: A, kind: spike}]",
        "alerts.yaml: rules[0].kind: must be one of absent, burn_rate, error_group_regressed, forecast, new_error_group, ratio, threshold (got 'spike')");
    assertRefused("rules: [{name: A, kind: threshold, query: {name: m}, op: \"=>\", value: 1}]",
        "alerts.yaml: rules[0].op: must be one of >, >=, <, <=, ==, != (got '=>')");
    assertRefused("rules: [{name: A, kind: threshold, query: {name: m, window: 5 minutes}, op: \">\", value: 1}]",
        "alerts.yaml: rules[0].query.window: must be a duration such as 30s, 5m, 4h or 3d (got '5 minutes')");
    assertRefused("rules: [{name: A, kind: threshold, op: \">\", value: 1}]", "alerts.yaml: rules[0].query: is required");
    assertRefused("rules: [{name: A, kind: new_error_group}, {name: A, kind: new_error_group}]",
        "alerts.yaml: rules[1].name: duplicate rule 'A'");
    assertRefused("rules: [{name: A, kind: burn_rate, objective: 99, good: {name: g}, total: {name: t}}]",
        "alerts.yaml: rules[0].objective: must be between 0 and 1, e.g. 0.99");
    assertRefused("receivers: [{name: ops}]\nroute: {receiver: pager}",
        "alerts.yaml: route: route names receiver 'pager', which is not defined");
    assertRefused("receivers: [{name: ops, webhook: ftp://x/y}]\nroute: {receiver: ops}",
        "alerts.yaml: receivers[0].webhook: must be an http:// or https:// URL");
    assertRefused("rules: [{name: A, kind: new_error_group}\n", "alerts.yaml: not valid YAML");
    assertRefused("rules: [{name: A, kind: threshold, query: {name: m, fn: p999}, op: \">\", value: 1}]",
        "alerts.yaml: rules[0].query.fn: must be one of [rate, increase, avg, min, max, last, p50, p90, p95, p99] (got 'p999')");
    assertRefused("defaults: {disable: [VigilDeadJob]}", "alerts.yaml: defaults.disable: 'VigilDeadJob' is not a built-in rule");
  }

  private static void assertRefused(String yaml, String message) {
    assertThatThrownBy(() -> AlertsFile.parse(yaml, "alerts.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          assertThat(e.getMessage()).startsWith(message);
          assertThat(e.getMessage()).doesNotContain("\n");
        });
  }

  @Test
  void an_empty_or_missing_file_has_no_rules() {
    assertThat(AlertsFile.parse("", "alerts.yaml").rules()).isEmpty();
    assertThat(AlertsFile.read(java.nio.file.Path.of("does-not-exist.yaml"))).isEqualTo(AlertsFile.Parsed.EMPTY);
  }
}
