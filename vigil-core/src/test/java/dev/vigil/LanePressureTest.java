package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Backpressure.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LanePressureTest {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final int CAPACITY = 1_000;
  private static final Duration TARGET = Duration.ofSeconds(10);

  private final LanePressure lane = new LanePressure();

  private static LanePressure.Load ready(long n) {
    return new LanePressure.Load(n, CAPACITY, n == 0 ? null : Duration.ZERO, TARGET);
  }

  private static LanePressure.Load waiting(Duration oldest) {
    return new LanePressure.Load(1, CAPACITY, oldest, TARGET);
  }

  private Level at(int second, LanePressure.Load load) {
    return lane.update(load, T0.plusSeconds(second)).level();
  }

  @Nested
  class Thresholds {
    @Test
    void ready_jobs_reach_warning_at_half_the_capacity_critical_at_80_percent_and_overloaded_at_capacity() {
      assertThat(LanePressure.levelOf(ready(0), 1)).isEqualTo(Level.NORMAL);
      assertThat(LanePressure.levelOf(ready(499), 1)).isEqualTo(Level.NORMAL);
      assertThat(LanePressure.levelOf(ready(500), 1)).isEqualTo(Level.WARNING);
      assertThat(LanePressure.levelOf(ready(799), 1)).isEqualTo(Level.WARNING);
      assertThat(LanePressure.levelOf(ready(800), 1)).isEqualTo(Level.CRITICAL);
      assertThat(LanePressure.levelOf(ready(999), 1)).isEqualTo(Level.CRITICAL);
      assertThat(LanePressure.levelOf(ready(1_000), 1)).isEqualTo(Level.OVERLOADED);
      assertThat(LanePressure.levelOf(ready(50_000), 1)).isEqualTo(Level.OVERLOADED);
    }

    @Test
    void the_oldest_wait_reaches_warning_at_the_target_critical_at_twice_and_overloaded_at_four_times() {
      assertThat(LanePressure.levelOf(waiting(Duration.ofMillis(9_999)), 1)).isEqualTo(Level.NORMAL);
      assertThat(LanePressure.levelOf(waiting(Duration.ofSeconds(10)), 1)).isEqualTo(Level.WARNING);
      assertThat(LanePressure.levelOf(waiting(Duration.ofSeconds(20)), 1)).isEqualTo(Level.CRITICAL);
      assertThat(LanePressure.levelOf(waiting(Duration.ofSeconds(39)), 1)).isEqualTo(Level.CRITICAL);
      assertThat(LanePressure.levelOf(waiting(Duration.ofSeconds(40)), 1)).isEqualTo(Level.OVERLOADED);
    }

    @Test
    void the_worse_of_the_two_measures_decides() {
      var fewButOld = new LanePressure.Load(10, CAPACITY, Duration.ofSeconds(45), TARGET);
      var manyButFresh = new LanePressure.Load(850, CAPACITY, Duration.ofSeconds(1), TARGET);

      assertThat(LanePressure.levelOf(fewButOld, 1)).isEqualTo(Level.OVERLOADED);
      assertThat(LanePressure.levelOf(manyButFresh, 1)).isEqualTo(Level.CRITICAL);
    }

    @Test
    void a_lane_whose_wait_does_not_count_is_judged_by_its_ready_jobs_alone() {
      var paused = new LanePressure.Load(10, CAPACITY, null, TARGET);

      assertThat(at(0, paused)).isEqualTo(Level.NORMAL);
    }
  }

  @Nested
  class Hysteresis {
    @Test
    void a_level_rises_at_the_first_reading_over_its_threshold() {
      assertThat(at(0, ready(100))).isEqualTo(Level.NORMAL);
      assertThat(at(1, ready(1_000))).isEqualTo(Level.OVERLOADED);
    }

    @Test
    void a_level_holds_while_the_measure_stays_above_80_percent_of_its_threshold() {
      at(0, ready(1_000));

      for (int s = 1; s <= 60; s++) {
        assertThat(at(s, ready(800))).as("second %d", s).isEqualTo(Level.OVERLOADED);
      }
    }

    @Test
    void a_level_falls_once_the_measures_stayed_below_the_eased_thresholds_for_five_seconds() {
      at(0, ready(1_000));

      assertThat(at(1, ready(700))).isEqualTo(Level.OVERLOADED);
      assertThat(at(5, ready(700))).isEqualTo(Level.OVERLOADED);
      assertThat(at(6, ready(700))).isEqualTo(Level.CRITICAL);
    }

    @Test
    void a_reading_back_above_the_eased_threshold_starts_the_five_seconds_again() {
      at(0, ready(1_000));
      at(1, ready(700));
      at(4, ready(850));

      assertThat(at(6, ready(700))).isEqualTo(Level.OVERLOADED);
      assertThat(at(10, ready(700))).isEqualTo(Level.OVERLOADED);
      assertThat(at(11, ready(700))).isEqualTo(Level.CRITICAL);
    }

    @Test
    void a_lane_that_empties_falls_straight_to_normal_after_the_hold() {
      at(0, ready(1_000));
      at(1, ready(0));

      assertThat(at(6, ready(0))).isEqualTo(Level.NORMAL);
    }

    @Test
    void a_wait_eases_like_a_depth() {
      at(0, waiting(Duration.ofSeconds(40)));
      at(1, waiting(Duration.ofSeconds(33)));
      assertThat(at(30, waiting(Duration.ofSeconds(33)))).isEqualTo(Level.OVERLOADED);

      at(31, waiting(Duration.ofSeconds(31)));
      assertThat(at(36, waiting(Duration.ofSeconds(31)))).isEqualTo(Level.CRITICAL);
    }

    @Test
    void a_measure_hovering_around_a_threshold_changes_the_level_once() {
      var levels = new ArrayList<Level>();
      for (int s = 0; s < 120; s++) {
        levels.add(at(s, ready(s % 2 == 0 ? 1_010 : 990)));
      }

      assertThat(changes(levels)).isEqualTo(1);
      assertThat(levels.get(levels.size() - 1)).isEqualTo(Level.OVERLOADED);
    }

    @Test
    void a_brief_dip_below_the_threshold_and_back_does_not_flap() {
      var levels = new ArrayList<Level>();
      for (int s = 0; s < 120; s++) {
        long ready = s % 10 < 4 ? 350 : 520; // four readings well under warning, six over, and again
        levels.add(at(s, ready(ready)));
      }

      assertThat(changes(levels)).isEqualTo(1);
      assertThat(levels.get(levels.size() - 1)).isEqualTo(Level.WARNING);
    }

    private static int changes(List<Level> levels) {
      int n = 0;
      Level last = Level.NORMAL;
      for (Level l : levels) {
        if (l != last) {
          n++;
          last = l;
        }
      }
      return n;
    }
  }

  @Nested
  class Reasons {
    @Test
    void the_reason_names_both_measures() {
      String reason = lane.update(new LanePressure.Load(850, CAPACITY, Duration.ofSeconds(12), TARGET), T0).reason();

      assertThat(reason).isEqualTo("ready jobs at 85 % of capacity (850 of 1000); oldest ready job waiting 12 s (target 10 s)");
    }

    @Test
    void a_held_level_says_what_it_takes_to_fall() {
      at(0, ready(1_000));
      String reason = lane.update(ready(700), T0.plusSeconds(1)).reason();

      assertThat(reason)
          .startsWith("ready jobs at 70 % of capacity (700 of 1000)")
          .endsWith("; stays overloaded until below 80 % of capacity and 3.2× the target wait for 5 s");
    }

    @Test
    void waits_read_as_operators_write_them() {
      assertThat(LanePressure.words(Duration.ofMillis(850))).isEqualTo("850 ms");
      assertThat(LanePressure.words(Duration.ofMillis(4_200))).isEqualTo("4.2 s");
      assertThat(LanePressure.words(Duration.ofSeconds(42))).isEqualTo("42 s");
      assertThat(LanePressure.words(Duration.ofMinutes(12))).isEqualTo("12 min");
      assertThat(LanePressure.words(Duration.ofHours(3))).isEqualTo("3 h");
    }
  }
}
