package dev.vigil.observe.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.ManualClock;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.Tier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The query engine: resolution and tier choice, stitching, grouping, matching, histograms and validation. */
class MetricHistoryTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final InMemoryHistoryStore store = new InMemoryHistoryStore();
  private final ManualClock clock = new ManualClock(T0);
  private final MetricHistory history = MetricHistory.of(store, HistorySettings.DEFAULTS, clock);

  @Test
  void the_coarsest_resolution_that_serves_the_step_is_read() {
    assertThat(history.tierFor(Duration.ofSeconds(10))).isEqualTo(Tier.RAW);
    assertThat(history.tierFor(Duration.ofSeconds(30))).isEqualTo(Tier.RAW);
    assertThat(history.tierFor(Duration.ofMinutes(1))).isEqualTo(Tier.MINUTE);
    assertThat(history.tierFor(Duration.ofMinutes(5))).isEqualTo(Tier.MINUTE);
    assertThat(history.tierFor(Duration.ofMinutes(59))).isEqualTo(Tier.MINUTE);
    assertThat(history.tierFor(Duration.ofHours(1))).isEqualTo(Tier.HOUR);
    assertThat(history.tierFor(Duration.ofDays(1))).isEqualTo(Tier.HOUR);
    var everySecond = MetricHistory.of(store, HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)), clock);
    assertThat(everySecond.tierFor(Duration.ofSeconds(1))).isEqualTo(Tier.RAW);
  }

  @Test
  void a_minute_step_reads_minutes_up_to_their_last_rollup_and_raw_samples_after_it() {
    long id = series("vigil_jobs_running", MetricKind.GAUGE, "lane", "cognition");
    // raw samples say 1 everywhere; the minutes (rolled up to 00:02) say 7: a minute step shows where each came from
    List<Sample> raw = new ArrayList<>();
    for (int i = 1; i <= 24; i++) {
      raw.add(Sample.gauge(T0.toEpochMilli() + 10_000L * i, 1.0));
    }
    store.write(List.of(Samples.chunk(id, MetricKind.GAUGE, Tier.RAW, raw)));
    store.writeRollup(
        Tier.MINUTE, List.of(Samples.chunk(id, MetricKind.GAUGE, Tier.MINUTE, List.of(gauge(60, 7), gauge(120, 7)))),
        T0.plusSeconds(120));
    clock.set(T0.plusSeconds(240));

    var minutes = history.query(query("vigil_jobs_running", HistoryFunction.AVG, 60, 240, 60));
    var tens = history.query(query("vigil_jobs_running", HistoryFunction.AVG, 60, 240, 10));

    assertThat(values(minutes)).containsExactly(7.0, 7.0, 1.0, 1.0);
    assertThat(values(tens)).hasSize(19).containsOnly(1.0);
  }

  @Test
  void time_already_purged_from_the_chosen_resolution_is_read_from_a_coarser_one() {
    long id = series("vigil_jobs_running", MetricKind.GAUGE);
    store.writeRollup(
        Tier.MINUTE, List.of(Samples.chunk(id, MetricKind.GAUGE, Tier.MINUTE, List.of(gauge(60, 3), gauge(120, 4)))),
        T0.plusSeconds(120));
    clock.set(T0.plus(Duration.ofHours(50))); // raw samples of the first hours are past their 48 h

    var answer = history.query(query("vigil_jobs_running", HistoryFunction.LAST, 10, 180, 10));

    assertThat(answer.series().getFirst().points())
        .containsExactly(new HistoryResult.Point(T0.plusSeconds(60), 3), new HistoryResult.Point(T0.plusSeconds(120), 4));
  }

  @Test
  void by_keeps_the_named_labels_and_sums_the_rest_and_match_keeps_only_matching_series() {
    write("vigil_jobs_succeeded_total", "a", Map.of("lane", "cognition", "type", "reply"), 1);
    write("vigil_jobs_succeeded_total", "a", Map.of("lane", "cognition", "type", "summary"), 2);
    write("vigil_jobs_succeeded_total", "a", Map.of("lane", "background", "type", "dream"), 4);
    write("vigil_jobs_succeeded_total", "b", Map.of("lane", "cognition", "type", "reply"), 8);

    var byLane = history.query(base().by("lane").build());
    var byLaneAndNode = history.query(base().by("lane", "node").build());
    var cognitionReplies = history.query(base().match("lane", "cognition").match("type", "reply").build());
    var byMissingLabel = history.query(base().by("route").build());

    assertThat(byLane.series()).extracting(HistoryResult.Series::labels)
        .containsExactly(Map.of("lane", "background"), Map.of("lane", "cognition"));
    assertThat(values(byLane.series().get(1))).containsOnly(11.0);
    assertThat(byLaneAndNode.series()).hasSize(3);
    assertThat(values(cognitionReplies)).containsOnly(9.0);
    assertThat(byMissingLabel.series()).singleElement().satisfies(s -> assertThat(s.labels()).isEmpty());
    assertThat(values(byMissingLabel)).containsOnly(15.0);
  }

  @Test
  void a_counter_that_goes_down_was_reset_and_counts_its_new_value_never_a_negative_rate() {
    long id = series("vigil_jobs_started_total", MetricKind.COUNTER);
    store.write(List.of(Samples.chunk(id, MetricKind.COUNTER, Tier.RAW,
        List.of(hist(0, 100), hist(10, 130), hist(20, 6), hist(30, 36))))); // restarted between 00:10 and 00:20

    var rate = history.query(query("vigil_jobs_started_total", HistoryFunction.RATE, 10, 30, 10));
    var increase = history.query(query("vigil_jobs_started_total", HistoryFunction.INCREASE, 30, 30, 30));

    assertThat(values(rate)).containsExactly(3.0, 0.6, 3.0);
    assertThat(values(increase)).containsExactly(66.0); // +30, then 6 counted from zero, then +30
  }

  @Test
  void a_histogram_that_restarts_takes_its_quantile_from_the_counts_after_the_restart() {
    long id = histogramSeries(List.of(1.0, 2.0));
    store.write(List.of(Samples.chunk(id, MetricKind.HISTOGRAM, Tier.RAW, List.of(
        hist(0, 100, 50, 10, 100),
        hist(10, 110, 60, 10, 110), // ten more, all in (1, 2]
        hist(20, 4, 2, 4, 4)))));   // restart: four, all at or below 1

    var p50 = history.query(HistoryQuery.builder("vigil_job_run_seconds").fn(HistoryFunction.P50)
        .from(T0.plusSeconds(10)).to(T0.plusSeconds(20)).step(Duration.ofSeconds(10)).build());

    // (0, 10]: ten in (1, 2] -> 1.5; (10, 20]: the four after the restart, in (0, 1] -> 0.5
    assertThat(values(p50)).containsExactly(1.5, 0.5);
  }

  @Test
  void a_histogram_answers_the_rate_and_increase_of_its_observations_across_a_restart() {
    long id = histogramSeries(List.of(1.0, 2.0));
    store.write(List.of(Samples.chunk(id, MetricKind.HISTOGRAM, Tier.RAW, List.of(
        hist(0, 100, 50, 10, 100),
        hist(10, 110, 60, 10, 110), // ten more observations
        hist(20, 4, 2, 4, 4)))));   // restart: four since

    var rate = history.query(query("vigil_job_run_seconds", HistoryFunction.RATE, 10, 20, 10));
    var increase = history.query(query("vigil_job_run_seconds", HistoryFunction.INCREASE, 20, 20, 20));

    assertThat(values(rate)).containsExactly(1.0, 0.4);
    assertThat(values(increase)).containsExactly(14.0);
  }

  @Test
  void histograms_with_different_buckets_are_summed_over_the_union_of_their_bounds() {
    long coarse = store.register(List.of(new SeriesKey("h_seconds", MetricKind.HISTOGRAM, "a", new TreeMap<>(), List.of(2.0)))).getFirst().id();
    long fine = store.register(List.of(new SeriesKey("h_seconds", MetricKind.HISTOGRAM, "b", new TreeMap<>(), List.of(1.0, 2.0)))).getFirst().id();
    store.write(List.of(
        Samples.chunk(coarse, MetricKind.HISTOGRAM, Tier.RAW,
            List.of(new Sample(T0.toEpochMilli(), 0, 0, 0), new Sample(T0.toEpochMilli() + 10_000, 10, 10, 10))),
        Samples.chunk(fine, MetricKind.HISTOGRAM, Tier.RAW,
            List.of(new Sample(T0.toEpochMilli(), 0, 0, 0, 0), new Sample(T0.toEpochMilli() + 10_000, 10, 10, 10, 10)))));

    var p50 = history.query(HistoryQuery.builder("h_seconds").fn(HistoryFunction.P50)
        .from(T0.plusSeconds(10)).to(T0.plusSeconds(10)).step(Duration.ofSeconds(10)).build());

    // at or below 1: the fine series' 10 (the coarse one cannot tell, so none of its); at or below 2: all 20
    assertThat(values(p50)).containsExactly(1.0);
  }

  @Test
  void points_count_back_from_the_end_by_the_step_and_the_default_step_gives_about_240_points() {
    write("vigil_jobs_succeeded_total", "a", Map.of(), 1);

    var odd = history.query(HistoryQuery.builder("vigil_jobs_succeeded_total")
        .from(T0.plusSeconds(95)).to(T0.plusSeconds(290)).step(Duration.ofSeconds(60)).build());
    var defaults = history.query(HistoryQuery.builder("vigil_jobs_succeeded_total").build());
    clock.set(T0.plus(Duration.ofDays(1)));
    var day = history.query(HistoryQuery.builder("vigil_jobs_succeeded_total").from(T0).build());

    assertThat(odd.series().getFirst().points()).extracting(HistoryResult.Point::at)
        .containsExactly(T0.plusSeconds(110), T0.plusSeconds(170), T0.plusSeconds(230), T0.plusSeconds(290));
    assertThat(defaults.fn()).isEqualTo(HistoryFunction.RATE);
    assertThat(defaults.step()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaults.to()).isEqualTo(T0);
    assertThat(defaults.from()).isEqualTo(T0.minus(Duration.ofHours(1)));
    assertThat(day.step()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void every_bad_part_of_a_query_is_named_at_once() {
    write("vigil_jobs_succeeded_total", "a", Map.of(), 1);
    var q = HistoryQuery.builder("vigil_jobs_succeeded_total").by("lane", "bad-label").match("no such", "x")
        .from(T0.plusSeconds(60)).to(T0).step(Duration.ofMillis(500)).build();

    assertThatThrownBy(() -> history.query(q))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("by", "match[no such]", "from", "step_ms"));
    assertThatThrownBy(() -> history.query(HistoryQuery.builder("vigil_jobs_succeeded_total")
            .from(T0.minus(Duration.ofDays(30))).to(T0).step(Duration.ofSeconds(10)).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("step_ms"));
    assertThatThrownBy(() -> history.query(HistoryQuery.builder("not a name").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("name"));
  }

  @Test
  void names_list_each_metric_once_with_its_kind_and_labels() {
    series("vigil_queue_depth", MetricKind.GAUGE, "lane", "cognition", "state", "ready");
    series("vigil_queue_depth", MetricKind.GAUGE, "lane", "social", "state", "running");
    series("process_uptime_seconds", MetricKind.GAUGE);

    assertThat(history.names()).containsExactly(
        new MetricDescriptor("process_uptime_seconds", MetricKind.GAUGE, List.of("node")),
        new MetricDescriptor("vigil_queue_depth", MetricKind.GAUGE, List.of("lane", "node", "state")));
  }

  // ---- helpers

  private long series(String name, MetricKind kind, String... labels) {
    TreeMap<String, String> l = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return store.register(List.of(new SeriesKey(name, kind, "a", l, List.of()))).getFirst().id();
  }

  private long histogramSeries(List<Double> bounds) {
    return store.register(List.of(new SeriesKey("vigil_job_run_seconds", MetricKind.HISTOGRAM, "a", new TreeMap<>(), bounds)))
        .getFirst().id();
  }

  /** A counter rising by {@code perTen} every 10 s from 00:00 to 00:05, through a sampler. */
  private void write(String name, String node, Map<String, String> labels, double perTen) {
    var sampler = HistorySampler.builder(new SimpleMeterRegistry(), store).node(node).build();
    SeriesKey key = new SeriesKey(name, MetricKind.COUNTER, node, new TreeMap<>(labels), List.of());
    for (int i = 0; i <= 30; i++) {
      sampler.record(T0.toEpochMilli() + 10_000L * i, Map.of(key, new double[] {perTen * i}));
    }
  }

  private HistoryQuery.Builder base() {
    return HistoryQuery.builder("vigil_jobs_succeeded_total").fn(HistoryFunction.INCREASE)
        .from(T0.plusSeconds(60)).to(T0.plusSeconds(300)).step(Duration.ofSeconds(10));
  }

  private static Sample gauge(long seconds, double value) {
    return Sample.gauge(T0.toEpochMilli() + seconds * 1_000, value);
  }

  private static Sample hist(long seconds, double... values) {
    return new Sample(T0.toEpochMilli() + seconds * 1_000, values);
  }

  private static HistoryQuery query(String name, HistoryFunction fn, long from, long to, long step) {
    return HistoryQuery.builder(name).fn(fn).from(T0.plusSeconds(from)).to(T0.plusSeconds(to))
        .step(Duration.ofSeconds(step)).build();
  }

  private static List<Double> values(HistoryResult r) {
    assertThat(r.series()).hasSize(1);
    return values(r.series().getFirst());
  }

  private static List<Double> values(HistoryResult.Series s) {
    return s.points().stream().map(HistoryResult.Point::value).toList();
  }

}
