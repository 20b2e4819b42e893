package dev.vigil.observe.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ManualClock;
import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sampler on a real Prometheus registry, the one the server records into. */
class HistorySamplerTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CountingStore store = new CountingStore();
  private final ManualClock clock = new ManualClock(T0.plusMillis(3_456));

  @AfterEach
  void close() {
    registry.close();
  }

  private HistorySampler sampler() {
    return HistorySampler.builder(registry, store).node("web-1").clock(clock).build();
  }

  @Test
  void every_meter_is_stored_under_the_name_prometheus_shows_for_it() {
    Counter.builder("vigil.jobs.enqueued").tag("lane", "cognition").register(registry).increment(3);
    FunctionCounter.builder("jvm.classes.unloaded", this, x -> 2).baseUnit("classes").register(registry);
    Gauge.builder("jvm.memory.used", () -> 1234).baseUnit("bytes").tag("area", "heap").register(registry);
    Gauge.builder("vigil.worker.slots", () -> 16).register(registry);
    TimeGauge.builder("process.uptime", () -> 5_000, TimeUnit.MILLISECONDS).register(registry);
    Timer.builder("vigil.job.run").serviceLevelObjectives(Duration.ofMillis(10), Duration.ofSeconds(1))
        .tag("lane", "cognition").register(registry).record(Duration.ofMillis(5));
    DistributionSummary.builder("vigil.group.commit.batch.size").serviceLevelObjectives(1, 2, 4).register(registry).record(3);

    sampler().sampleNow();

    var names = store.series().stream().map(s -> s.key().name()).collect(Collectors.toSet());
    assertThat(names).containsExactlyInAnyOrder(
        "vigil_jobs_enqueued_total", "jvm_classes_unloaded_classes_total", "jvm_memory_used_bytes", "vigil_worker_slots",
        "process_uptime_seconds", "vigil_job_run_seconds", "vigil_group_commit_batch_size");
    Matcher families = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(registry.scrape());
    var scraped = new java.util.HashSet<String>();
    while (families.find()) {
      scraped.add(families.group(1));
      scraped.add(families.group(1) + "_total"); // the text format names a counter's family without it
    }
    assertThat(scraped).containsAll(names);
    assertThat(store.series("vigil_job_run_seconds")).singleElement().satisfies(s -> {
      assertThat(s.key().kind()).isEqualTo(MetricKind.HISTOGRAM);
      assertThat(s.key().bounds()).containsExactly(0.01, 1.0);
      assertThat(s.key().labels()).containsEntry("lane", "cognition").hasSize(1);
      assertThat(s.key().node()).isEqualTo("web-1");
    });
    assertThat(store.series("process_uptime_seconds")).singleElement()
        .satisfies(s -> assertThat(s.key().kind()).isEqualTo(MetricKind.GAUGE));
  }

  @Test
  void a_timer_keeps_cumulative_buckets_so_any_window_has_its_quantiles() {
    var registryClock = new MockClock();
    var timed = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), registryClock);
    Timer timer = Timer.builder("vigil.job.run")
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)).register(timed);
    HistorySampler sampler = HistorySampler.builder(timed, store).node("web-1").clock(clock).build();
    for (int i = 0; i < 10; i++) {
      timer.record(Duration.ofMillis(50));
    }
    sampler.sampleNow();
    registryClock.add(Duration.ofMinutes(5)); // longer than a sliding window (2 min by default) keeps counts
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 10; i++) {
      timer.record(Duration.ofMillis(150));
    }
    sampler.sampleNow();
    timed.close();

    var history = MetricHistory.of(store, HistorySettings.DEFAULTS, clock);
    var q = HistoryQuery.builder("vigil_job_run_seconds").from(T0.plusSeconds(300)).to(T0.plusSeconds(300))
        .step(Duration.ofMinutes(5));
    // the ten in (0.1, 0.2] of the last five minutes: the median halfway through that bucket
    assertThat(history.query(q.fn(HistoryFunction.P50).build()).series().getFirst().points().getFirst().value())
        .isCloseTo(0.15, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(history.query(q.fn(HistoryFunction.AVG).build()).series().getFirst().points().getFirst().value())
        .isCloseTo(0.15, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void a_snapshot_lands_on_the_interval_grid_once_and_is_written_in_one_transaction() {
    for (int i = 0; i < 50; i++) {
      Counter.builder("vigil.test").tag("n", "n" + i).register(registry).increment();
    }
    HistorySampler sampler = sampler();

    assertThat(sampler.sampleNow()).isEqualTo(50);
    clock.advance(Duration.ofSeconds(5)); // still in the same 10 s slot
    assertThat(sampler.sampleNow()).isZero();

    assertThat(store.writes).hasValue(1);
    assertThat(store.read(Tier.RAW, store.series().stream().map(StoredSeries::id).toList(), T0, T0.plusSeconds(60)))
        .extracting(Chunk::start).containsOnly(T0);
  }

  @Test
  void a_counter_created_between_two_snapshots_counts_from_zero() {
    Counter.builder("vigil.jobs.started").register(registry).increment();
    HistorySampler sampler = sampler();
    sampler.sampleNow();
    Counter.builder("vigil.jobs.succeeded").register(registry).increment(5);
    Gauge.builder("vigil.jobs.running", () -> 3).register(registry);
    clock.advance(Duration.ofSeconds(10));
    sampler.sampleNow();

    var history = MetricHistory.of(store, HistorySettings.DEFAULTS, clock);
    Instant at = T0.plusSeconds(10);
    var q = HistoryQuery.builder("vigil_jobs_succeeded_total").fn(HistoryFunction.INCREASE).from(at).to(at)
        .step(Duration.ofSeconds(10));
    assertThat(history.query(q.build()).series().getFirst().points())
        .containsExactly(new HistoryResult.Point(at, 5));
    long running = store.series("vigil_jobs_running").getFirst().id();
    assertThat(store.read(Tier.RAW, List.of(running), T0, at)).extracting(Chunk::points).as("no zero for a gauge")
        .containsExactly(1);
  }

  @Test
  void a_series_purged_between_its_registration_and_its_write_is_registered_again() {
    Counter counter = Counter.builder("vigil.jobs.started").register(registry);
    HistorySampler sampler = sampler();
    sampler.sampleNow();
    counter.increment(4);
    store.failNext = true; // as a foreign key would refuse a chunk of a series just purged
    clock.advance(Duration.ofSeconds(10));
    try {
      sampler.sampleNow();
    } catch (IllegalStateException expected) {
      // the write failed
    }
    clock.advance(Duration.ofSeconds(10));
    counter.increment(6);
    sampler.sampleNow();

    var history = MetricHistory.of(store, HistorySettings.DEFAULTS, clock);
    Instant at = T0.plusSeconds(20);
    var increase = history.query(HistoryQuery.builder("vigil_jobs_started_total").fn(HistoryFunction.INCREASE)
        .from(at).to(at).step(Duration.ofSeconds(20)).build());
    // no zero point for a meter that was there all along: the 10 counted since 00:00 and nothing more
    assertThat(increase.series().getFirst().points()).containsExactly(new HistoryResult.Point(at, 10));
  }

  @Test
  void at_most_max_series_are_sampled_and_series_of_removed_meters_are_forgotten() {
    for (int i = 0; i < 10; i++) {
      Counter.builder("vigil.test").tag("n", "n" + i).register(registry).increment();
    }
    HistorySampler capped = HistorySampler.builder(registry, store).node("web-1").clock(clock).maxSeries(4).build();
    capped.sampleNow();
    assertThat(capped.seriesCount()).isEqualTo(4);

    HistorySampler sampler = sampler();
    sampler.sampleNow();
    registry.getMeters().stream().filter(m -> m.getId().getName().equals("vigil.test")).limit(3).toList()
        .forEach(registry::remove);
    clock.advance(Duration.ofSeconds(10));
    sampler.sampleNow();
    assertThat(sampler.seriesCount()).isEqualTo(7);
  }

  @Test
  void a_gauge_whose_object_is_gone_is_skipped_and_a_failed_write_loses_its_snapshot_only() {
    var value = new AtomicInteger(1);
    Gauge.builder("vigil.gone", () -> Double.NaN).register(registry);
    Gauge.builder("vigil.depth", value::get).register(registry);
    HistorySampler sampler = sampler();
    sampler.sampleNow();
    store.failNext = true;
    clock.advance(Duration.ofSeconds(10));
    value.set(2);
    try {
      sampler.sampleNow();
    } catch (IllegalStateException expected) {
      // the store was down for this snapshot
    }
    clock.advance(Duration.ofSeconds(10));
    value.set(3);
    sampler.sampleNow();

    assertThat(store.series()).extracting(s -> s.key().name()).containsExactly("vigil_depth");
    long id = store.series().getFirst().id();
    List<Sample> samples = Samples.decode(MetricKind.GAUGE, store.read(Tier.RAW, List.of(id), T0, T0.plusSeconds(60)));
    assertThat(samples).as("the failed snapshot's point is lost, the others kept").extracting(s -> s.v[Sample.G_LAST])
        .containsExactly(1.0, 3.0);
  }

  /** The in-memory store, counting writes and failing one on demand. */
  private static final class CountingStore implements HistoryStore {
    private final InMemoryHistoryStore store = new InMemoryHistoryStore();
    final AtomicInteger writes = new AtomicInteger();
    volatile boolean failNext;

    @Override
    public List<StoredSeries> register(List<SeriesKey> keys) {
      return store.register(keys);
    }

    @Override
    public List<StoredSeries> series() {
      return store.series();
    }

    @Override
    public List<StoredSeries> series(String name) {
      return store.series(name);
    }

    @Override
    public void write(List<Chunk> chunks) {
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("the store is down");
      }
      writes.incrementAndGet();
      store.write(chunks);
    }

    @Override
    public List<Chunk> read(Tier tier, Collection<Long> seriesIds, Instant from, Instant to) {
      return store.read(tier, seriesIds, from, to);
    }

    @Override
    public List<Chunk> readStarting(Tier tier, Instant after, Instant until) {
      return store.readStarting(tier, after, until);
    }

    @Override
    public Optional<Instant> firstStartAfter(Tier tier, Instant after) {
      return store.firstStartAfter(tier, after);
    }

    @Override
    public void writeRollup(Tier tier, List<Chunk> chunks, Instant rolledUntil) {
      store.writeRollup(tier, chunks, rolledUntil);
    }

    @Override
    public Optional<Instant> rolledUntil(Tier tier) {
      return store.rolledUntil(tier);
    }

    @Override
    public int purge(Tier tier, Instant before) {
      return store.purge(tier, before);
    }

    @Override
    public int purgeEmptySeries() {
      return store.purgeEmptySeries();
    }
  }
}
