package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ManualClock;
import dev.vigil.observe.history.HistorySampler;
import dev.vigil.observe.history.TwoNodeHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The metric kinds of rules (threshold, ratio, absent, burn rate, forecast) evaluated over real
 * metric history: meters in a registry, sampled every 10 s as a server does, read back through
 * {@link MetricHistory}.
 */
class MetricConditionsTest {
  private final TwoNodeHistory h = new TwoNodeHistory();
  private final ManualClock clock = h.clock;
  private final RuleBinder binder = new RuleBinder(h.history(), null);

  private final SimpleMeterRegistry nodeA = h.nodeA;
  private final SimpleMeterRegistry nodeB = h.nodeB;
  private final HistorySampler samplerB = h.samplerB;

  @Test
  void a_threshold_holds_per_kept_label_and_sums_the_nodes() {
    Counter socialA = nodeA.counter("vigil_jobs_dead_total", "lane", "social");
    Counter socialB = nodeB.counter("vigil_jobs_dead_total", "lane", "social");
    nodeA.counter("vigil_jobs_dead_total", "lane", "cognition");
    h.run(Duration.ofMinutes(5), i -> {
      if (i == 20) {
        socialA.increment();
        socialB.increment(2);
      }
    });

    List<Observation> seen = evaluate(new ConditionSpec.Threshold(
        sel("vigil_jobs_dead_total", "increase", List.of("lane"), Map.of(), "15m"), Comparison.GT, 0));

    assertThat(seen).containsExactlyInAnyOrder(
        new Observation(Map.of("lane", "social"), 3, true),
        new Observation(Map.of("lane", "cognition"), 0, false));
  }

  @Test
  void a_metric_history_does_not_hold_yet_finds_no_series_instead_of_failing() {
    h.run(Duration.ofMinutes(1), i -> {});

    assertThat(evaluate(new ConditionSpec.Threshold(
        sel("vigil_jobs_dead_total", "increase", List.of(), Map.of(), "15m"), Comparison.GT, 0))).isEmpty();
  }

  @Test
  void a_ratio_joins_on_labels_skips_small_denominators_and_globs_match_label_values() {
    Timer ok = Timer.builder("vigil_http_server_requests_seconds").tag("status", "200").register(nodeA);
    Timer failed = Timer.builder("vigil_http_server_requests_seconds").tag("status", "503").register(nodeA);
    Timer quietOk = Timer.builder("vigil_http_server_requests_seconds").tag("status", "200").register(nodeB);
    h.run(Duration.ofMinutes(5), i -> {
      ok.record(Duration.ofMillis(5));
      if (i % 2 == 0) {
        failed.record(Duration.ofMillis(5));
      }
      if (i == 10) {
        quietOk.record(Duration.ofMillis(5));
      }
    });

    List<Observation> seen = evaluate(new ConditionSpec.Ratio(
        sel("vigil_http_server_requests_seconds", "increase", List.of("node"), Map.of("status", "5*"), "5m"),
        sel("vigil_http_server_requests_seconds", "increase", List.of("node"), Map.of(), "5m"),
        Comparison.GT, 0.05, 10));

    assertThat(seen).singleElement().satisfies(o -> {
      assertThat(o.labels()).isEqualTo(Map.of("node", "a"));
      assertThat(o.value()).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(0.02));
      assertThat(o.holds()).isTrue();
    });
  }

  @Test
  void absent_misses_a_node_that_stopped_sampling_but_not_one_that_said_goodbye() {
    nodeA.gauge("vigil_node_up", h.keep(new AtomicLong(1)));
    AtomicLong upB = nodeB.gauge("vigil_node_up", h.keep(new AtomicLong(1)));
    h.run(Duration.ofMinutes(5), i -> {});
    clock.set(clock.instant().plusSeconds(10));
    upB.set(0); // b stops cleanly: its last sample says so
    samplerB.sample(clock.instant());
    clock.set(clock.instant().plusSeconds(120)); // then neither samples for two minutes: a is lost

    List<Observation> seen = evaluate(new ConditionSpec.Absent(sel("vigil_node_up", "last", List.of("node"), Map.of(), "1m")));

    assertThat(seen).containsExactlyInAnyOrder(
        new Observation(Map.of("node", "a"), 1, true), new Observation(Map.of("node", "b"), 0, false));
  }

  @Test
  void burn_rate_holds_when_both_windows_of_a_pair_burn_the_budget_faster_than_its_factor() {
    Counter good = nodeA.counter("vigil_jobs_succeeded_total");
    Counter dead = nodeA.counter("vigil_jobs_dead_total");
    h.run(Duration.ofMinutes(70), i -> {
      good.increment(10);
      if (i > 360) { // the last 10 minutes: one in five dies
        dead.increment(2.5);
      }
    });
    var spec = new ConditionSpec.BurnRate(
        0.99,
        sel("vigil_jobs_succeeded_total", "increase", List.of(), Map.of(), "5m"),
        new MetricSelector(List.of("vigil_jobs_succeeded_total", "vigil_jobs_dead_total"), "increase", List.of(), Map.of(),
            Duration.ofMinutes(5)),
        ConditionSpec.BurnWindows.FAST);

    // over 1 h: 150 dead of 3,750 ended (4 %, 4x the budget, under 14.4), though 20 % over 5 m
    assertThat(evaluate(spec)).singleElement().satisfies(o -> assertThat(o.holds()).isFalse());

    h.run(Duration.ofMinutes(50), i -> {
      good.increment(10);
      dead.increment(2.5);
    });
    // the last hour: 20 % dead, 20x the budget, over 14.4, and so is the last 5 minutes
    assertThat(evaluate(spec)).singleElement().satisfies(o -> {
      assertThat(o.holds()).isTrue();
      assertThat(o.value()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
    });
  }

  @Test
  void a_forecast_fits_a_line_and_holds_when_it_meets_the_threshold_within_the_horizon() {
    AtomicLong free = nodeA.gauge("vigil_data_dir_free_bytes", h.keep(new AtomicLong(10_000_000)));
    h.run(Duration.ofHours(1), i -> free.addAndGet(-1_000)); // 1,000 bytes every 10 s: 100 bytes/s
    // 10,000,000 - 360 * 1,000 = 9,640,000 left at 100 bytes/s: 96,400 s (26.8 h)
    var within6h = new ConditionSpec.Forecast(
        sel("vigil_data_dir_free_bytes", "last", List.of("node"), Map.of(), "1h"), Comparison.LT, 0, Duration.ofHours(6));
    var within30h = new ConditionSpec.Forecast(
        sel("vigil_data_dir_free_bytes", "last", List.of("node"), Map.of(), "1h"), Comparison.LT, 0, Duration.ofHours(30));

    assertThat(evaluate(within6h)).singleElement().satisfies(o -> {
      assertThat(o.holds()).isFalse();
      assertThat(o.value()).isCloseTo(96_400, org.assertj.core.data.Offset.offset(200.0));
    });
    assertThat(evaluate(within30h)).singleElement().satisfies(o -> assertThat(o.holds()).isTrue());
  }

  private List<Observation> evaluate(ConditionSpec spec) {
    return binder.bind(new RuleSpec("R", spec, Duration.ZERO, Duration.ZERO, "page", Map.of(), Map.of()))
        .condition().evaluate(clock.instant());
  }



  private static MetricSelector sel(String name, String fn, List<String> by, Map<String, String> match, String window) {
    return MetricSelector.of(name, fn, by, match, Durations.require(window));
  }
}
