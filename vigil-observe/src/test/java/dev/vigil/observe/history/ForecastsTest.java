package dev.vigil.observe.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.ManualClock;
import dev.vigil.observe.history.Forecast.What;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Forecasts over real metric history: gauges in two nodes' registries, sampled every 10 s as a
 * server does, read back through {@link MetricHistory} and fitted.
 */
class ForecastsTest {
  private final TwoNodeHistory h = new TwoNodeHistory();
  private final ManualClock clock = h.clock;
  private final Forecasts forecasts = new Forecasts(h.history(), clock);

  private final SimpleMeterRegistry nodeA = h.nodeA;
  private final SimpleMeterRegistry nodeB = h.nodeB;

  @Test
  void a_disk_losing_100_bytes_a_second_is_forecast_full_when_its_free_bytes_run_out() {
    AtomicLong free = nodeA.gauge("vigil_data_dir_free_bytes", h.keep(new AtomicLong(10_000_000)));
    h.run(Duration.ofHours(1), i -> free.addAndGet(-1_000));

    // 10,000,000 - 360 * 1,000 = 9,640,000 left at 100 bytes/s: 96,400 s from now
    assertThat(forecasts.compute()).singleElement().satisfies(f -> {
      assertThat(f.what()).isEqualTo(What.DISK_FREE);
      assertThat(f.labels()).isEqualTo(Map.of("node", "a"));
      assertThat(f.value()).isCloseTo(9_640_000, within(1.0));
      assertThat(f.threshold()).isZero();
      assertThat(f.slopePerHour()).isCloseTo(-360_000, within(1.0));
      assertThat(f.reachesAt()).isCloseTo(now().plusSeconds(96_400), within(1, ChronoUnit.SECONDS));
      assertThat(f.rSquared()).isCloseTo(1.0, within(1e-9));
      assertThat(f.points()).isEqualTo(60);
    });
  }

  @Test
  void a_flat_series_never_reaches_its_threshold() {
    nodeA.gauge("vigil_data_dir_free_bytes", h.keep(new AtomicLong(5_000_000)));
    h.run(Duration.ofHours(1), i -> {});

    assertThat(forecasts.compute()).singleElement().satisfies(f -> {
      assertThat(f.value()).isEqualTo(5_000_000);
      assertThat(f.slopePerHour()).isZero();
      assertThat(f.reachesAt()).isNull();
      assertThat(f.reaches()).isEmpty();
    });
  }

  @Test
  void a_lane_backlog_growing_toward_capacity_reaches_it_and_the_nodes_are_not_summed() {
    // the depth and capacity describe the whole store: both nodes report the same values
    AtomicLong ready = h.keep(new AtomicLong());
    AtomicLong full = h.keep(new AtomicLong(50));
    for (SimpleMeterRegistry node : List.of(nodeA, nodeB)) {
      node.gauge("vigil_queue_depth", Tags.of("lane", "background", "state", "ready"), ready);
      node.gauge("vigil_queue_depth", Tags.of("lane", "background", "state", "scheduled"), h.keep(new AtomicLong(900)));
      node.gauge("vigil_lane_capacity", Tags.of("lane", "background"), h.keep(new AtomicLong(1_000)));
      node.gauge("vigil_queue_depth", Tags.of("lane", "social", "state", "ready"), full);
      node.gauge("vigil_lane_capacity", Tags.of("lane", "social"), h.keep(new AtomicLong(40)));
    }
    h.run(Duration.ofHours(1), i -> ready.incrementAndGet()); // one more every 10 s: 360 an hour

    List<Forecast> all = forecasts.compute();

    assertThat(all).extracting(f -> f.labels().get("lane")).containsExactly("background", "social");
    assertThat(all.getFirst()).satisfies(f -> {
      assertThat(f.what()).isEqualTo(What.LANE_BACKLOG);
      assertThat(f.threshold()).isEqualTo(1_000);
      assertThat(f.slopePerHour()).isCloseTo(360, within(0.01));
      assertThat(f.rSquared()).isCloseTo(1.0, within(1e-9));
      // each minute's mean lags its last sample by 2.5 jobs: 357.5 now, 642.5 to go at 0.1 a second
      assertThat(f.value()).isCloseTo(357.5, within(0.01));
      assertThat(f.reachesAt()).isCloseTo(now().plusSeconds(6_425), within(1, ChronoUnit.SECONDS));
    });
    assertThat(all.getLast()).satisfies(f -> {
      assertThat(f.value()).isEqualTo(50);
      assertThat(f.reachesAt()).as("already over its capacity").isEqualTo(now());
    });
  }

  @Test
  void heap_after_gc_growing_is_forecast_to_reach_the_most_its_pool_holds() {
    AtomicLong live = nodeA.gauge("jvm_gc_live_data_size_bytes", h.keep(new AtomicLong(100_000_000)));
    nodeA.gauge("jvm_gc_max_data_size_bytes", h.keep(new AtomicLong(1_000_000_000)));
    h.run(Duration.ofHours(1), i -> {
      if (i % 30 == 0) { // a collection every 5 minutes leaves 5 MB more behind
        live.addAndGet(5_000_000);
      }
    });

    assertThat(forecasts.compute()).singleElement().satisfies(f -> {
      assertThat(f.what()).isEqualTo(What.HEAP_AFTER_GC);
      assertThat(f.labels()).isEqualTo(Map.of("node", "a"));
      assertThat(f.threshold()).isEqualTo(1_000_000_000);
      assertThat(f.slopePerHour()).isCloseTo(60_000_000, within(3_000_000.0));
      assertThat(f.reachesAt()).isBetween(now().plus(Duration.ofHours(13)), now().plus(Duration.ofHours(15)));
      assertThat(f.rSquared()).isBetween(0.95, 1.0);
    });
  }

  @Test
  void a_metric_history_does_not_hold_or_a_limit_it_does_not_hold_gives_no_forecast() {
    nodeA.gauge("vigil_worker_slots", h.keep(new AtomicLong(16)));
    nodeA.gauge("jvm_gc_live_data_size_bytes", h.keep(new AtomicLong(100)));
    nodeA.gauge("vigil_queue_depth", Tags.of("lane", "cognition", "state", "ready"), h.keep(new AtomicLong(3)));
    h.run(Duration.ofMinutes(30), i -> {});

    assertThat(forecasts.compute()).isEmpty();
  }

  @Test
  void a_young_series_is_fitted_through_its_raw_samples_until_it_has_three_minutes() {
    AtomicLong free = nodeA.gauge("vigil_data_dir_free_bytes", h.keep(new AtomicLong(1_000_000)));
    h.run(Duration.ofSeconds(20), i -> free.addAndGet(-1_000));
    assertThat(forecasts.compute()).as("two samples").isEmpty();

    h.run(Duration.ofSeconds(20), i -> free.addAndGet(-1_000));

    assertThat(forecasts.compute()).singleElement().satisfies(f -> {
      assertThat(f.points()).isEqualTo(4);
      assertThat(f.slopePerHour()).isCloseTo(-360_000, within(1.0));
    });
  }

  @Test
  void a_node_that_stopped_sampling_is_no_longer_forecast() {
    nodeA.gauge("vigil_data_dir_free_bytes", h.keep(new AtomicLong(1_000_000)));
    nodeB.gauge("vigil_data_dir_free_bytes", h.keep(new AtomicLong(2_000_000)));
    h.run(Duration.ofMinutes(30), i -> {});
    assertThat(forecasts.compute()).hasSize(2);

    for (int i = 0; i < 36; i++) { // six more minutes of a alone
      clock.advance(Duration.ofSeconds(10));
      h.samplerA.sample(clock.instant());
    }

    assertThat(forecasts.compute()).extracting(Forecast::labels).containsExactly(Map.of("node", "a"));
  }

  private Instant now() {
    return clock.instant();
  }


}
