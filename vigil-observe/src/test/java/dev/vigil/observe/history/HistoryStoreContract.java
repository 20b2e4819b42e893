package dev.vigil.observe.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.InvalidRequestException;
import dev.vigil.ManualClock;
import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The definition of a correct {@link HistoryStore}. Every store (SQLite, PostgreSQL, the in-memory
 * one of the unit tests) must pass this suite unchanged; a store's test class only says how to open
 * its database.
 *
 * <pre>{@code
 * class SqliteHistoryContractTest extends HistoryStoreContract {
 *   @TempDir Path dir;
 *   private SqliteJobStore jobs;
 *
 *   protected HistoryStore openStore() {
 *     jobs = SqliteJobStore.open(dir.resolve("vigil.db"));
 *     return jobs.historyStore();
 *   }
 *
 *   protected void closeStore() {
 *     jobs.close();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #openStore()} must give a store on a database of this test's own, empty on the first
 * call and the same database again on a later call within the test (after {@link #closeStore()},
 * as a restart would). Time never comes from the real clock: every instant is a fixed start plus
 * what a test adds, on whole milliseconds. The tests go through the store's own API and through
 * the history engine over it (sampler, roll-up, purge, queries), never into its tables; nothing
 * sleeps.
 */
public abstract class HistoryStoreContract {
  /** Where every test starts: a whole day, so every period is aligned to it. */
  protected static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** The defaults: samples every 10 s, kept 48 h; minutes 30 days; hours 400 days. */
  protected static final HistorySettings SETTINGS = HistorySettings.DEFAULTS;

  private HistoryStore store;
  private final ManualClock clock = new ManualClock(T0);

  /** Opens the store under test on this test's database (empty at first, the same one later in the test). */
  protected abstract HistoryStore openStore();

  /** Closes what {@link #openStore()} opened; the default does nothing. */
  protected void closeStore() {}

  @BeforeEach
  final void openStoreBeforeEachTest() {
    store = Objects.requireNonNull(openStore(), "openStore() returned null");
  }

  @AfterEach
  final void closeStoreAfterEachTest() {
    store = null;
    closeStore();
  }

  /** The store under test. */
  protected final HistoryStore store() {
    return store;
  }

  /** Closes the store and opens it again on the same database, as after a restart. */
  protected final HistoryStore reopenStore() {
    store = null;
    closeStore();
    store = Objects.requireNonNull(openStore(), "openStore() returned null");
    return store;
  }

  // ---- the store's own operations

  @Test
  void registering_a_key_again_finds_the_same_series_with_its_kind_labels_and_bounds() {
    SeriesKey counter = key("vigil_jobs_succeeded_total", MetricKind.COUNTER, "a", "lane", "cognition", "type", "reply");
    SeriesKey histogram =
        new SeriesKey(
            "vigil_job_run_seconds", MetricKind.HISTOGRAM, "a", new TreeMap<>(Map.of("lane", "social")),
            List.of(0.01, 0.25, 1.0, 2.5));
    SeriesKey otherNode = key("vigil_jobs_succeeded_total", MetricKind.COUNTER, "b", "lane", "cognition", "type", "reply");

    List<StoredSeries> first = store.register(List.of(counter, histogram));
    List<StoredSeries> again = store.register(List.of(histogram, otherNode, counter));

    assertThat(first).extracting(StoredSeries::key).containsExactly(counter, histogram);
    assertThat(again.get(0).id()).isEqualTo(first.get(1).id());
    assertThat(again.get(2).id()).isEqualTo(first.get(0).id());
    assertThat(again.get(1).id()).isNotIn(first.get(0).id(), first.get(1).id());
    assertThat(store.series()).extracting(StoredSeries::key).containsExactlyInAnyOrder(counter, histogram, otherNode);
    assertThat(store.series("vigil_jobs_succeeded_total")).extracting(StoredSeries::key)
        .containsExactlyInAnyOrder(counter, otherNode);
    assertThat(store.series("vigil_job_run_seconds")).singleElement()
        .satisfies(s -> assertThat(s.key().bounds()).containsExactly(0.01, 0.25, 1.0, 2.5));
    assertThat(store.series("no_such_metric")).isEmpty();
  }

  @Test
  void labels_with_quotes_unicode_and_empty_values_survive_as_given() {
    SeriesKey odd = key("vigil_odd", MetricKind.GAUGE, "node-1", "route", "/api/v1/jobs/{id}", "q", "a\"b\\c ü ✓", "e", "");

    store.register(List.of(odd));

    assertThat(store.series("vigil_odd")).extracting(StoredSeries::key).containsExactly(odd);
  }

  @Test
  void concurrent_registrations_of_the_same_keys_agree_on_their_ids() throws Exception {
    List<SeriesKey> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(key("vigil_race_total", MetricKind.COUNTER, "a", "type", "t" + i));
    }

    List<List<StoredSeries>> answers = inParallel(4, thread -> store.register(thread % 2 == 0 ? keys : keys.reversed()));

    for (List<StoredSeries> answer : answers) {
      var ids = new TreeMap<String, Long>();
      answer.forEach(s -> ids.put(s.key().labels().get("type"), s.id()));
      var expected = new TreeMap<String, Long>();
      answers.getFirst().forEach(s -> expected.put(s.key().labels().get("type"), s.id()));
      assertThat(ids).isEqualTo(expected);
    }
    assertThat(store.series("vigil_race_total")).hasSize(20);
  }

  @Test
  void chunks_read_back_exactly_as_written_by_tier_series_and_time() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    long b = register(key("m", MetricKind.COUNTER, "b")).id();
    byte[] binary = {0, 1, (byte) 0xff, 0, 127, (byte) 0x80};
    Chunk a1 = chunk(a, Tier.RAW, T0.plusMillis(1), T0.plusSeconds(50).plusMillis(7), 6, binary);
    Chunk a2 = chunk(a, Tier.RAW, T0.plusSeconds(610), T0.plusSeconds(700), 10, new byte[] {9});
    Chunk b1 = chunk(b, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(20), 2, new byte[] {8});
    Chunk aMinute = chunk(a, Tier.MINUTE, T0.plusSeconds(60), T0.plusSeconds(3_600), 60, new byte[] {7});

    store.write(List.of(a2, b1, a1, aMinute));

    assertThat(store.read(Tier.RAW, List.of(a, b), T0, T0.plusSeconds(3_600))).containsExactly(a1, a2, b1);
    assertThat(store.read(Tier.RAW, List.of(a), T0.plusSeconds(20), T0.plusSeconds(30))).containsExactly(a1);
    assertThat(store.read(Tier.RAW, List.of(a), T0.plusSeconds(50).plusMillis(7), T0.plusSeconds(610)))
        .as("a chunk's first and last point count as inside").containsExactly(a1, a2);
    assertThat(store.read(Tier.RAW, List.of(a), T0.plusSeconds(51), T0.plusSeconds(609))).isEmpty();
    assertThat(store.read(Tier.MINUTE, List.of(a, b), T0, T0.plusSeconds(86_400))).containsExactly(aMinute);
    assertThat(store.read(Tier.HOUR, List.of(a, b), T0, T0.plusSeconds(86_400))).isEmpty();
    assertThat(store.read(Tier.RAW, List.of(), T0, T0.plusSeconds(3_600))).isEmpty();
  }

  @Test
  void writing_a_chunk_with_the_same_start_replaces_it() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    Chunk growing = chunk(a, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(10), 1, new byte[] {1});
    Chunk grown = chunk(a, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(40), 4, new byte[] {1, 2, 3, 4});

    store.write(List.of(growing));
    store.write(List.of(grown));

    assertThat(store.read(Tier.RAW, List.of(a), T0, T0.plusSeconds(600))).containsExactly(grown);
  }

  @Test
  void a_write_is_all_or_nothing() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    Chunk good = chunk(a, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(20), 2, new byte[] {1});
    Chunk orphan = chunk(a + 1_000_000, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(20), 2, new byte[] {1});

    assertThatThrownBy(() -> store.write(List.of(good, orphan))).isInstanceOf(RuntimeException.class);

    assertThat(store.read(Tier.RAW, List.of(a), T0, T0.plusSeconds(600))).isEmpty();
  }

  @Test
  void chunks_are_found_by_start_for_the_rollup() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    long b = register(key("m", MetricKind.COUNTER, "b")).id();
    Chunk atHour = chunk(a, Tier.RAW, T0.plusSeconds(3_600), T0.plusSeconds(3_600), 1, new byte[] {1});
    Chunk afterHour = chunk(b, Tier.RAW, T0.plusSeconds(3_610), T0.plusSeconds(4_200), 60, new byte[] {2});
    Chunk atTwo = chunk(a, Tier.RAW, T0.plusSeconds(7_200), T0.plusSeconds(7_200), 1, new byte[] {3});
    store.write(List.of(atTwo, afterHour, atHour));

    assertThat(store.firstStartAfter(Tier.RAW, Instant.EPOCH)).contains(atHour.start());
    assertThat(store.firstStartAfter(Tier.RAW, atHour.start())).contains(afterHour.start());
    assertThat(store.firstStartAfter(Tier.RAW, atTwo.start())).isEmpty();
    assertThat(store.firstStartAfter(Tier.MINUTE, Instant.EPOCH)).isEmpty();
    assertThat(store.readStarting(Tier.RAW, T0.plusSeconds(3_600), T0.plusSeconds(7_200)))
        .as("starts in (after, until]").containsExactly(atTwo, afterHour);
    assertThat(store.readStarting(Tier.RAW, T0, T0.plusSeconds(3_600))).containsExactly(atHour);
  }

  @Test
  void a_rollup_writes_its_chunks_and_moves_its_watermark() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    Chunk minutes = chunk(a, Tier.MINUTE, T0.plusSeconds(60), T0.plusSeconds(3_600), 60, new byte[] {1});

    assertThat(store.rolledUntil(Tier.MINUTE)).isEmpty();
    store.writeRollup(Tier.MINUTE, List.of(minutes), T0.plusSeconds(3_600));
    store.writeRollup(Tier.MINUTE, List.of(), T0.plusSeconds(7_200));

    assertThat(store.rolledUntil(Tier.MINUTE)).contains(T0.plusSeconds(7_200));
    assertThat(store.rolledUntil(Tier.HOUR)).isEmpty();
    assertThat(store.read(Tier.MINUTE, List.of(a), T0, T0.plusSeconds(7_200))).containsExactly(minutes);
  }

  @Test
  void purge_deletes_the_chunks_of_one_tier_that_end_before_the_cutoff() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    Chunk old = chunk(a, Tier.RAW, T0, T0.plusSeconds(590), 60, new byte[] {1});
    Chunk atCutoff = chunk(a, Tier.RAW, T0.plusSeconds(600), T0.plusSeconds(1_200), 60, new byte[] {2});
    Chunk oldMinutes = chunk(a, Tier.MINUTE, T0.plusSeconds(60), T0.plusSeconds(300), 5, new byte[] {3});
    store.write(List.of(old, atCutoff, oldMinutes));

    assertThat(store.purge(Tier.RAW, T0.plusSeconds(1_200))).isEqualTo(1);

    assertThat(store.read(Tier.RAW, List.of(a), T0, T0.plusSeconds(3_600))).containsExactly(atCutoff);
    assertThat(store.read(Tier.MINUTE, List.of(a), T0, T0.plusSeconds(3_600))).containsExactly(oldMinutes);
  }

  @Test
  void series_left_without_chunks_are_purged_and_the_others_kept() {
    long kept = register(key("m", MetricKind.COUNTER, "web-1-4242")).id();
    long gone = register(key("m", MetricKind.COUNTER, "web-1-1717")).id();
    store.write(List.of(
        chunk(kept, Tier.MINUTE, T0.plusSeconds(60), T0.plusSeconds(120), 2, new byte[] {1}),
        chunk(gone, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(20), 2, new byte[] {2})));
    store.purge(Tier.RAW, T0.plusSeconds(3_600));

    assertThat(store.purgeEmptySeries()).isEqualTo(1);

    assertThat(store.series()).extracting(StoredSeries::id).containsExactly(kept);
    assertThat(store.register(List.of(key("m", MetricKind.COUNTER, "web-1-1717")))).singleElement()
        .satisfies(s -> assertThat(s.id()).isNotIn(kept));
  }

  @Test
  void everything_is_still_there_after_a_restart() {
    Node a = node("a");
    for (int i = 0; i <= 6; i++) {
      a.snapshot(T0.plusSeconds(10L * i)).counter("vigil_jobs_succeeded_total", 6 * i, "lane", "cognition").write();
    }

    reopenStore();

    var answer = history().query(query("vigil_jobs_succeeded_total", HistoryFunction.INCREASE, T0, T0.plusSeconds(60), 60));
    assertThat(single(answer)).containsExactly(point(60, 36));
  }

  // ---- through the history engine

  @Test
  void counter_snapshots_answer_rate_and_increase() {
    Node a = node("a");
    for (int i = 0; i <= 60; i++) {
      a.snapshot(T0.plusSeconds(10L * i)).counter("vigil_jobs_succeeded_total", 6 * i, "lane", "cognition").write();
    }

    var rate = history().query(query("vigil_jobs_succeeded_total", HistoryFunction.RATE, T0.plusSeconds(300), T0.plusSeconds(600), 60));
    var increase = history().query(query("vigil_jobs_succeeded_total", HistoryFunction.INCREASE, T0.plusSeconds(300), T0.plusSeconds(600), 60));

    assertThat(single(rate)).containsExactly(point(300, 0.6), point(360, 0.6), point(420, 0.6), point(480, 0.6), point(540, 0.6), point(600, 0.6));
    assertThat(single(increase)).extracting(HistoryResult.Point::value).containsOnly(36.0);
  }

  @Test
  void a_counter_that_restarts_never_gives_a_negative_rate() {
    Node before = node("a");
    double[] values = {100, 110, 120, 130, 140, 150};
    for (int i = 0; i < values.length; i++) {
      before.snapshot(T0.plusSeconds(10L * i)).counter("vigil_jobs_started_total", values[i]).write();
    }
    Node after = node("a"); // the process restarted: a new sampler, counting from zero again
    for (int i = 6; i <= 18; i++) {
      after.snapshot(T0.plusSeconds(10L * i)).counter("vigil_jobs_started_total", 5 + 10 * (i - 6)).write();
    }

    var increase = history().query(query("vigil_jobs_started_total", HistoryFunction.INCREASE, T0.plusSeconds(60), T0.plusSeconds(180), 60));
    var rate = history().query(query("vigil_jobs_started_total", HistoryFunction.RATE, T0.plusSeconds(60), T0.plusSeconds(180), 60));

    // (0, 60]: +10 five times, then the restart counts its 5; (60, 120] and (120, 180]: +60 each
    assertThat(single(increase)).containsExactly(point(60, 55), point(120, 60), point(180, 60));
    assertThat(single(rate)).extracting(HistoryResult.Point::value).allMatch(v -> v >= 0)
        .containsExactly(55 / 60.0, 1.0, 1.0);
  }

  @Test
  void gauge_snapshots_answer_avg_min_max_and_last() {
    Node a = node("a");
    double[] values = {9, 1, 5, 3, 2, 4, 6};
    for (int i = 0; i < values.length; i++) {
      a.snapshot(T0.plusSeconds(10L * i))
          .gauge("vigil_queue_depth", values[i], "lane", "cognition")
          .gauge("vigil_queue_depth", 10, "lane", "social")
          .write();
    }

    assertThat(single(history().query(nowhere(HistoryFunction.AVG)))).isEmpty();
    var byLane = history().query(gauge(HistoryFunction.AVG, "lane"));
    assertThat(byLane.series()).extracting(HistoryResult.Series::labels)
        .containsExactly(Map.of("lane", "cognition"), Map.of("lane", "social"));
    assertThat(byLane.series().get(0).points()).containsExactly(point(60, 3.5));
    assertThat(single(history().query(gauge(HistoryFunction.MIN)))).containsExactly(point(60, 11));
    assertThat(single(history().query(gauge(HistoryFunction.MAX)))).containsExactly(point(60, 16));
    assertThat(single(history().query(gauge(HistoryFunction.LAST)))).containsExactly(point(60, 16));
    assertThat(single(history().query(gauge(HistoryFunction.AVG)))).containsExactly(point(60, 13.5));
  }

  @Test
  void histogram_snapshots_answer_quantiles_from_bucket_increases_and_the_mean() {
    Node a = node("a");
    List<Double> bounds = List.of(0.1, 0.5, 1.0);
    a.snapshot(T0).histogram("vigil_job_run_seconds", bounds, 1000, 500, new double[] {400, 700, 900}, "lane", "cognition").write();
    a.snapshot(T0.plusSeconds(60))
        .histogram("vigil_job_run_seconds", bounds, 1100, 545, new double[] {410, 740, 990}, "lane", "cognition")
        .write();

    // in (0, 60]: 100 observations, 10 at or below 0.1, 40 at or below 0.5, 90 at or below 1, summing 45
    assertThat(single(history().query(histogram(HistoryFunction.P50)))).containsExactly(point(60, 0.6));
    assertThat(single(history().query(histogram(HistoryFunction.P90)))).containsExactly(point(60, 1.0));
    assertThat(single(history().query(histogram(HistoryFunction.P99)))).as("in +Inf: the highest bound")
        .containsExactly(point(60, 1.0));
    assertThat(single(history().query(histogram(HistoryFunction.AVG)))).containsExactly(point(60, 0.45));
  }

  @Test
  void each_node_writes_its_own_series_and_queries_sum_them_unless_asked_by_node() {
    Node a = node("a");
    Node b = node("b");
    for (int i = 0; i <= 6; i++) {
      a.snapshot(T0.plusSeconds(10L * i)).counter("vigil_jobs_enqueued_total", 6 * i, "lane", "cognition").write();
      b.snapshot(T0.plusSeconds(10L * i)).counter("vigil_jobs_enqueued_total", 4 * i, "lane", "cognition").write();
    }

    assertThat(store.series("vigil_jobs_enqueued_total")).extracting(s -> s.key().node()).containsExactlyInAnyOrder("a", "b");
    assertThat(single(history().query(query("vigil_jobs_enqueued_total", HistoryFunction.RATE, T0, T0.plusSeconds(60), 60))))
        .extracting(HistoryResult.Point::value).singleElement().satisfies(v -> assertThat(v).isCloseTo(1.0, within(1e-9)));
    var byNode = history().query(
        HistoryQuery.builder("vigil_jobs_enqueued_total").fn(HistoryFunction.RATE).by("node")
            .from(T0).to(T0.plusSeconds(60)).step(Duration.ofSeconds(60)).build());
    assertThat(byNode.series()).extracting(HistoryResult.Series::labels).containsExactly(Map.of("node", "a"), Map.of("node", "b"));
    assertThat(byNode.series().get(1).points()).containsExactly(point(60, 0.4));
    var onlyB = history().query(
        HistoryQuery.builder("vigil_jobs_enqueued_total").fn(HistoryFunction.RATE).match("node", "b")
            .from(T0).to(T0.plusSeconds(60)).step(Duration.ofSeconds(60)).build());
    assertThat(single(onlyB)).containsExactly(point(60, 0.4));
    assertThat(history().names()).singleElement()
        .isEqualTo(new MetricDescriptor("vigil_jobs_enqueued_total", MetricKind.COUNTER, List.of("lane", "node")));
  }

  @Test
  void raw_samples_roll_up_into_minutes_that_answer_as_the_samples_did() {
    Node a = node("a");
    for (int i = 0; i <= 210; i++) { // every 20 s for 70 minutes
      a.snapshot(T0.plusSeconds(20L * i))
          .counter("vigil_jobs_succeeded_total", 12 * i)
          .gauge("vigil_jobs_running", i % 7)
          .write();
    }
    var query = query("vigil_jobs_running", HistoryFunction.MAX, T0.plusSeconds(600), T0.plusSeconds(4_200), 60);
    var rateQuery = query("vigil_jobs_succeeded_total", HistoryFunction.RATE, T0.plusSeconds(600), T0.plusSeconds(4_200), 60);
    HistoryResult fromRaw = history().query(query);
    HistoryResult rateFromRaw = history().query(rateQuery);

    new HistoryRollup(store, SETTINGS).run(T0.plusSeconds(4_200));

    assertThat(store.rolledUntil(Tier.MINUTE)).contains(T0.plusSeconds(3_600));
    long running = store.series("vigil_jobs_running").getFirst().id();
    assertThat(store.read(Tier.MINUTE, List.of(running), T0.plusSeconds(1), T0.plusSeconds(3_600)))
        .singleElement()
        .satisfies(c -> {
          assertThat(c.start()).isEqualTo(T0.plusSeconds(60));
          assertThat(c.end()).isEqualTo(T0.plusSeconds(3_600));
          assertThat(c.points()).isEqualTo(60);
        });
    assertThat(history().query(query)).isEqualTo(fromRaw);
    assertThat(history().query(rateQuery)).isEqualTo(rateFromRaw);
    assertThat(single(rateFromRaw)).extracting(HistoryResult.Point::value).containsOnly(0.6);
    // the minute ending 00:01:00 holds the samples at 00:00:20, 00:00:40 and 00:01:00: running 1, 2, 3
    assertThat(single(history().query(query("vigil_jobs_running", HistoryFunction.AVG, T0.plusSeconds(60), T0.plusSeconds(60), 60))))
        .containsExactly(point(60, 2.0));
  }

  @Test
  void minutes_roll_up_into_hours() {
    long c = register(key("vigil_jobs_succeeded_total", MetricKind.COUNTER, "a")).id();
    long g = register(key("vigil_jobs_running", MetricKind.GAUGE, "a")).id();
    List<Chunk> minutes = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      List<Sample> counter = new ArrayList<>();
      List<Sample> gauge = new ArrayList<>();
      for (int m = 1; m <= 60; m++) {
        long t = T0.toEpochMilli() + (h * 60L + m) * 60_000;
        counter.add(new Sample(t, 60.0 * (h * 60 + m)));
        gauge.add(new Sample(t, m % 60, 1, 0, m == 30 ? 100 : m % 60, m % 60)); // sum, n, min, max, last
      }
      minutes.add(Samples.chunk(c, MetricKind.COUNTER, Tier.MINUTE, counter));
      minutes.add(Samples.chunk(g, MetricKind.GAUGE, Tier.MINUTE, gauge));
    }
    store.writeRollup(Tier.MINUTE, minutes, T0.plus(Duration.ofDays(1)));

    new HistoryRollup(store, SETTINGS).run(T0.plus(Duration.ofDays(1)).plusSeconds(120));

    assertThat(store.rolledUntil(Tier.HOUR)).contains(T0.plus(Duration.ofDays(1)));
    assertThat(store.read(Tier.HOUR, List.of(c, g), T0, T0.plus(Duration.ofDays(1))))
        .extracting(Chunk::points).containsExactly(24, 24);
    Instant dayEnd = T0.plus(Duration.ofDays(1));
    var rate = history().query(query("vigil_jobs_succeeded_total", HistoryFunction.RATE, T0.plusSeconds(7_200), dayEnd, 3_600));
    assertThat(single(rate)).hasSize(23).extracting(HistoryResult.Point::value).containsOnly(1.0);
    assertThat(single(history().query(query("vigil_jobs_running", HistoryFunction.MAX, dayEnd, dayEnd, 3_600))))
        .containsExactly(new HistoryResult.Point(dayEnd, 100));
    assertThat(single(history().query(query("vigil_jobs_running", HistoryFunction.MIN, dayEnd, dayEnd, 3_600))))
        .containsExactly(new HistoryResult.Point(dayEnd, 0));
    assertThat(single(history().query(query("vigil_jobs_running", HistoryFunction.AVG, dayEnd, dayEnd, 3_600))))
        .containsExactly(new HistoryResult.Point(dayEnd, 29.5));
    assertThat(single(history().query(query("vigil_jobs_running", HistoryFunction.LAST, dayEnd, dayEnd, 3_600))))
        .containsExactly(new HistoryResult.Point(dayEnd, 0));
  }

  @Test
  void purge_keeps_each_tier_for_its_retention_and_never_drops_what_is_not_rolled_up() {
    long a = register(key("m", MetricKind.COUNTER, "a")).id();
    Chunk oldRaw = chunk(a, Tier.RAW, T0.plusSeconds(10), T0.plusSeconds(600), 60, new byte[] {1});
    Chunk newerRaw = chunk(a, Tier.RAW, T0.plusSeconds(3_610), T0.plusSeconds(4_200), 60, new byte[] {2});
    store.write(List.of(oldRaw, newerRaw));
    Instant now = T0.plus(Duration.ofHours(48)).plusSeconds(3_600);
    HistoryPurge purge = new HistoryPurge(store, SETTINGS);

    purge.run(now);
    assertThat(store.read(Tier.RAW, List.of(a), T0, now)).as("nothing rolled up yet").containsExactly(oldRaw, newerRaw);

    store.writeRollup(Tier.MINUTE, List.of(), T0.plus(Duration.ofHours(24)));
    purge.run(now);
    assertThat(store.read(Tier.RAW, List.of(a), T0, now)).as("older than 48 h and rolled up").containsExactly(newerRaw);
  }

  @Test
  void a_query_of_an_unknown_metric_or_a_function_of_another_kind_names_the_field() {
    node("a").snapshot(T0).counter("vigil_jobs_succeeded_total", 1).write();

    assertThatThrownBy(() -> history().query(HistoryQuery.builder("vigil_nope").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors()).extracting(InvalidRequestException.FieldError::field).containsExactly("name"));
    assertThatThrownBy(() -> history().query(HistoryQuery.builder("vigil_jobs_succeeded_total").fn(HistoryFunction.P99).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors()).extracting(InvalidRequestException.FieldError::field).containsExactly("fn"));
  }

  // ---- helpers

  /** The history engine over the store under test, at the kit's clock. */
  protected final MetricHistory history() {
    return MetricHistory.of(store, SETTINGS, clock);
  }

  /** This test's clock; it starts at {@link #T0}. */
  protected final ManualClock clock() {
    return clock;
  }

  /** A node sampling into the store under test. */
  protected final Node node(String id) {
    return new Node(id);
  }

  /** A sampler of one node, fed by hand instead of by a meter registry. */
  protected final class Node {
    private final String id;
    private final HistorySampler sampler;

    private Node(String id) {
      this.id = id;
      this.sampler = HistorySampler.builder(new SimpleMeterRegistry(), store).node(id).settings(SETTINGS).build();
    }

    /** A snapshot taken at {@code at}, to fill and {@link Snapshot#write()}. */
    public Snapshot snapshot(Instant at) {
      return new Snapshot(this, at);
    }
  }

  /** The readings of one snapshot of one node. */
  protected static final class Snapshot {
    private final Node node;
    private final Instant at;
    private final Map<SeriesKey, double[]> readings = new LinkedHashMap<>();

    private Snapshot(Node node, Instant at) {
      this.node = node;
      this.at = at;
    }

    public Snapshot counter(String name, double value, String... labels) {
      readings.put(key(name, MetricKind.COUNTER, node.id, labels), new double[] {value});
      return this;
    }

    public Snapshot gauge(String name, double value, String... labels) {
      readings.put(key(name, MetricKind.GAUGE, node.id, labels), new double[] {value});
      return this;
    }

    public Snapshot histogram(String name, List<Double> bounds, double count, double sum, double[] cumulative, String... labels) {
      double[] v = new double[2 + cumulative.length];
      v[0] = count;
      v[1] = sum;
      System.arraycopy(cumulative, 0, v, 2, cumulative.length);
      readings.put(new SeriesKey(name, MetricKind.HISTOGRAM, node.id, labels(labels), bounds), v);
      return this;
    }

    /** Writes the snapshot, in one transaction. */
    public void write() {
      node.sampler.record(at.toEpochMilli(), readings);
    }
  }

  protected static SeriesKey key(String name, MetricKind kind, String node, String... labels) {
    return new SeriesKey(name, kind, node, labels(labels), List.of());
  }

  private static TreeMap<String, String> labels(String... pairs) {
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private StoredSeries register(SeriesKey key) {
    return store.register(List.of(key)).getFirst();
  }

  private static Chunk chunk(long series, Tier tier, Instant start, Instant end, int points, byte[] data) {
    return new Chunk(series, tier, start, end, points, data);
  }

  private static HistoryQuery query(String name, HistoryFunction fn, Instant from, Instant to, long stepSeconds) {
    return HistoryQuery.builder(name).fn(fn).from(from).to(to).step(Duration.ofSeconds(stepSeconds)).build();
  }

  private static HistoryQuery gauge(HistoryFunction fn, String... by) {
    return HistoryQuery.builder("vigil_queue_depth").fn(fn).by(by).from(T0.plusSeconds(60)).to(T0.plusSeconds(60))
        .step(Duration.ofSeconds(60)).build();
  }

  private static HistoryQuery nowhere(HistoryFunction fn) {
    return HistoryQuery.builder("vigil_queue_depth").fn(fn).match("lane", "nowhere").from(T0.plusSeconds(60))
        .to(T0.plusSeconds(60)).step(Duration.ofSeconds(60)).build();
  }

  private static HistoryQuery histogram(HistoryFunction fn) {
    return HistoryQuery.builder("vigil_job_run_seconds").fn(fn).from(T0.plusSeconds(60)).to(T0.plusSeconds(60))
        .step(Duration.ofSeconds(60)).build();
  }

  /** The points of the one series of an answer; none when it has no series. */
  private static List<HistoryResult.Point> single(HistoryResult r) {
    assertThat(r.series()).hasSizeLessThanOrEqualTo(1);
    return r.series().isEmpty() ? List.of() : r.series().getFirst().points();
  }

  private static HistoryResult.Point point(long secondsAfterT0, double value) {
    return new HistoryResult.Point(T0.plusSeconds(secondsAfterT0), value);
  }

  private static <T> List<T> inParallel(int threads, java.util.function.IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int thread = i;
        Callable<T> call = () -> {
          start.await();
          return task.apply(thread);
        };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
