package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import static dev.vigil.observe.alerts.Comparison.GE;
import static dev.vigil.observe.alerts.Comparison.GT;
import static dev.vigil.observe.alerts.Comparison.LT;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The built-in alert rules: what the systems behind Vigil ask to be told, with the same names,
 * thresholds, severities and runbook links as {@code deploy/prometheus/rules.yml}, so that an
 * operator who moves to Prometheus keeps the same alerts. A rules file may switch any of them off
 * ({@code defaults: {disable: [...]}}) or replace one by declaring a rule of the same name.
 */
public final class DefaultRules {
  private static final List<String> LANE_TYPE = List.of("lane", "type");
  private static final List<String> LANE = List.of("lane");
  private static final List<String> NODE = List.of("node");
  private static final List<String> KEY = List.of("key");

  private DefaultRules() {}

  /** Every built-in rule, in a stable order. */
  public static List<RuleSpec> all() {
    return List.of(
        rule("VigilJobFailureRatioHigh", ratio(
                sel(List.of("vigil_jobs_failed_total"), "increase", LANE_TYPE, Map.of(), "10m"),
                sel(List.of("vigil_jobs_succeeded_total", "vigil_jobs_failed_total"), "increase", LANE_TYPE, Map.of(), "10m"),
                GT, 0.2, 10),
            "5m", "ticket", "Jobs of type {{ $labels.type }} in lane {{ $labels.lane }} fail often",
            "{{ $value }} of the attempts of type {{ $labels.type }} in lane {{ $labels.lane }} failed over the last 10 minutes (threshold 20 %, at least 10 attempts)."),
        rule("VigilBacklogHigh", ratio(
                sel(List.of("vigil_queue_depth"), "last", LANE, Map.of("state", "ready"), "5m"),
                sel(List.of("vigil_lane_capacity"), "last", LANE, Map.of(), "5m"),
                GT, 0.8, 1),
            "15m", "ticket", "Lane {{ $labels.lane }} has a large backlog",
            "The ready jobs of lane {{ $labels.lane }} are {{ $value }} of its capacity, over 80 %, for 15 minutes."),
        rule("VigilOldestReadyJobTooOld",
            new ConditionSpec.Threshold(sel(List.of("vigil_queue_oldest_ready_age_seconds"), "max", LANE, Map.of(), "1m"), GT, 300),
            "5m", "page", "Ready jobs in lane {{ $labels.lane }} wait too long to start",
            "The oldest ready job of lane {{ $labels.lane }} has waited {{ $value }} s, over 5 minutes."),
        rule("VigilChatQueueWaitHigh",
            new ConditionSpec.Threshold(
                sel(List.of("vigil_job_queue_wait_seconds"), "p99", List.of(), Map.of("lane", "cognition"), "5m"), GT, 5),
            "5m", "page", "Chat jobs wait too long before they start",
            "The 99th percentile of the cognition lane's queue wait is {{ $value }} s over 5 minutes, over 5 s."),
        rule("VigilDeadJobs",
            new ConditionSpec.Threshold(sel(List.of("vigil_jobs_dead_total"), "increase", LANE_TYPE, Map.of(), "15m"), GT, 0),
            "1m", "ticket", "Jobs of type {{ $labels.type }} in lane {{ $labels.lane }} are dead",
            "{{ $value }} jobs of type {{ $labels.type }} in lane {{ $labels.lane }} ended dead in the last 15 minutes."),
        rule("VigilNodeDown",
            new ConditionSpec.Absent(sel(List.of("vigil_node_up"), "last", NODE, Map.of(), "1m")),
            "1m", "page", "A Vigil node is down",
            "Node {{ $labels.node }} has recorded no metrics for a minute without having stopped cleanly."),
        rule("VigilStoreUnreachable",
            new ConditionSpec.Threshold(sel(List.of("vigil_health_status"), "max", NODE, Map.of("check", "store"), "1m"), GE, 2),
            "1m", "page", "Vigil node {{ $labels.node }} cannot reach its store",
            "The store check of node {{ $labels.node }} is unhealthy."),
        rule("VigilHeapHigh", ratio(
                sel(List.of("jvm_memory_used_bytes"), "last", NODE, Map.of("area", "heap"), "1m"),
                sel(List.of("jvm_memory_max_bytes"), "last", NODE, Map.of("area", "heap"), "1m"),
                GT, 0.9, 1),
            "10m", "ticket", "Vigil node {{ $labels.node }} is short of heap",
            "Node {{ $labels.node }} uses {{ $value }} of its heap, over 90 %, for 10 minutes."),
        rule("VigilDiskFillingUp",
            new ConditionSpec.Forecast(sel(List.of("vigil_data_dir_free_bytes"), "last", NODE, Map.of(), "1h"), LT, 0,
                Duration.ofHours(6)),
            "15m", "page", "The data directory of {{ $labels.node }} fills up within 6 hours",
            "At the rate of the last hour, the data directory of node {{ $labels.node }} is full in {{ $value }} s."),
        rule("VigilEventBusDrops",
            new ConditionSpec.Threshold(sel(List.of("vigil_event_bus_dropped_total"), "increase", NODE, Map.of(), "5m"), GT, 0),
            "1m", "ticket", "Vigil node {{ $labels.node }} drops job events",
            "{{ $value }} job events were dropped in 5 minutes because a subscriber fell behind."),
        rule("VigilLeaseRescuesSpiking",
            new ConditionSpec.Threshold(sel(List.of("vigil_lease_rescues_total"), "increase", List.of(), Map.of(), "15m"), GT, 10),
            "5m", "ticket", "Many running jobs lose their lease",
            "{{ $value }} running jobs lost their lease in 15 minutes: workers die or stop heartbeating."),
        rule("VigilBreakerOpen",
            new ConditionSpec.Threshold(sel(List.of("vigil_breaker_state"), "last", KEY, Map.of(), "1m"), GE, 1),
            "5m", "page", "Circuit breaker {{ $labels.key }} has stayed open for 5 minutes",
            "Breaker {{ $labels.key }} has not closed for 5 minutes: too many of its attempts fail with retryable errors, and its jobs are held until a probe succeeds."),
        rule("VigilAvailabilityBurnRateFast", burn(ConditionSpec.BurnWindows.FAST),
            "2m", "page", "Jobs die fast enough to spend the month's error budget in days",
            "{{ $value }} of the jobs that ended, ended dead (14.4x the 1 % budget over 1 h and 5 m, or 6x over 6 h and 30 m)."),
        rule("VigilAvailabilityBurnRateSlow", burn(ConditionSpec.BurnWindows.SLOW),
            "15m", "ticket", "Jobs die faster than the availability objective allows",
            "{{ $value }} of the jobs that ended over 3 days ended dead, above the 1 % error budget (also over the last 6 h)."),
        rule("VigilHttpErrorsHigh", ratio(
                sel(List.of("vigil_http_server_requests_seconds"), "rate", NODE, Map.of("status", "5*"), "5m"),
                sel(List.of("vigil_http_server_requests_seconds"), "rate", NODE, Map.of(), "5m"),
                GT, 0.05, 0.1),
            "5m", "page", "Vigil node {{ $labels.node }} answers many requests with 5xx",
            "{{ $value }} of the HTTP requests to node {{ $labels.node }} were answered 5xx over 5 minutes (threshold 5 %)."),
        rule("VigilNewErrorGroup", new ConditionSpec.NewErrorGroup(),
            "0s", "ticket", "A new kind of job error appeared",
            "Error group {{ $labels.error_group }} ({{ $labels.error_type }}) appeared."),
        rule("VigilErrorGroupRegressed", new ConditionSpec.ErrorGroupRegressed(),
            "0s", "ticket", "A resolved job error happened again",
            "Error group {{ $labels.error_group }} ({{ $labels.error_type }}) was resolved and happened again."));
  }

  private static ConditionSpec burn(ConditionSpec.BurnWindows windows) {
    return new ConditionSpec.BurnRate(
        0.99,
        sel(List.of("vigil_jobs_succeeded_total"), "increase", List.of(), Map.of(), "5m"),
        sel(List.of("vigil_jobs_succeeded_total", "vigil_jobs_dead_total"), "increase", List.of(), Map.of(), "5m"),
        windows);
  }

  private static ConditionSpec ratio(MetricSelector n, MetricSelector d, Comparison op, double value, double min) {
    return new ConditionSpec.Ratio(n, d, op, value, min);
  }

  private static MetricSelector sel(List<String> names, String fn, List<String> by, Map<String, String> match, String window) {
    return new MetricSelector(names, fn, by, match, Durations.require(window));
  }

  private static RuleSpec rule(String name, ConditionSpec condition, String forDuration, String severity, String summary, String description) {
    return new RuleSpec(
        name, condition, Durations.require(forDuration), Duration.ZERO, severity, Map.of(),
        Map.of("summary", summary, "description", description, "runbook_url", "docs/runbooks.md#" + name.toLowerCase(java.util.Locale.ROOT)));
  }
}
