package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.job.Lane;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneSchedulerTest {
  private static final int COGNITION = 0;
  private static final int SOCIAL = 1;
  private static final int SENSORY = 2;
  private static final int BACKGROUND = 3;

  /** The default weights 8/4/2/1 with nothing reserved and no caps. */
  private static final List<Lane> WEIGHTED_ONLY =
      List.of(
          Lane.of("cognition", 8),
          Lane.of("social", 4),
          Lane.of("sensory", 2),
          Lane.of("background", 1));

  @Test
  void saturated_lanes_get_slots_in_proportion_to_their_weights() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);
    var view = new View(4).allBusy();
    int[] total = new int[4];

    for (int i = 0; i < 15_000; i++) {
      add(total, scheduler.plan(1, view));
    }

    assertThat(Arrays.stream(total).sum()).isEqualTo(15_000);
    assertThat((double) total[COGNITION]).isCloseTo(8_000, within(150.0));
    assertThat((double) total[SOCIAL]).isCloseTo(4_000, within(150.0));
    assertThat((double) total[SENSORY]).isCloseTo(2_000, within(150.0));
    assertThat((double) total[BACKGROUND]).isCloseTo(1_000, within(150.0));
  }

  @Test
  void with_run_times_saturated_lanes_share_worker_time_by_weight_not_starts() {
    var runTimes = new LaneRunTimes(4);
    runTimes.ended(SOCIAL, Duration.ofSeconds(1));
    runTimes.ended(BACKGROUND, Duration.ofSeconds(5));
    var scheduler = new LaneScheduler(WEIGHTED_ONLY, runTimes);
    var view = new View(4).busy(SOCIAL, BACKGROUND);
    int[] total = new int[4];

    for (int i = 0; i < 2_100; i++) {
      add(total, scheduler.plan(1, view));
    }

    double socialTime = total[SOCIAL] * 1.0;
    double backgroundTime = total[BACKGROUND] * 5.0;
    assertThat(socialTime / backgroundTime).as("busy time, social : background").isCloseTo(4.0, within(0.1));
    assertThat(total[BACKGROUND]).as("background still starts").isGreaterThan(0);
  }

  @Test
  void run_times_follow_the_recent_jobs_of_a_lane() {
    var runTimes = new LaneRunTimes(2);
    assertThat(runTimes.meanMillis(0)).isEqualTo(LaneRunTimes.FIRST_GUESS.toMillis());

    runTimes.ended(0, Duration.ofSeconds(30));
    assertThat(runTimes.meanMillis(0)).as("the first end replaces the guess").isEqualTo(30_000.0);
    for (int i = 0; i < 50; i++) {
      runTimes.ended(0, Duration.ofMillis(200));
    }
    assertThat(runTimes.meanMillis(0)).isCloseTo(200.0, within(1.0));
    assertThat(runTimes.meanMillis(1)).isEqualTo(LaneRunTimes.FIRST_GUESS.toMillis());
  }

  @Test
  void a_lane_with_only_a_few_jobs_at_hand_gets_no_more_slots_than_it_can_fill() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);

    int[] quota = scheduler.plan(15, new View(4).busy(COGNITION, BACKGROUND).available(COGNITION, 2));

    assertThat(quota).containsExactly(2, 0, 0, 13);
  }

  @Test
  void one_plan_of_fifteen_slots_is_shared_eight_four_two_one() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);

    int[] quota = scheduler.plan(15, new View(4).allBusy());

    assertThat(quota).containsExactly(8, 4, 2, 1);
  }

  @Test
  void the_lightest_lane_is_not_starved_by_busy_heavier_lanes() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);
    var view = new View(4).allBusy();
    int[] total = new int[4];

    for (int i = 0; i < 15; i++) {
      add(total, scheduler.plan(1, view));
    }

    assertThat(total[BACKGROUND]).isEqualTo(1);
  }

  @Test
  void equal_weights_break_ties_towards_the_higher_lane() {
    var scheduler = new LaneScheduler(List.of(Lane.of("high", 1), Lane.of("low", 1)));

    assertThat(scheduler.plan(1, new View(2).allBusy())).containsExactly(1, 0);
  }

  @Test
  void background_alone_takes_all_but_its_reserved_slots() {
    var scheduler = new LaneScheduler(Lane.DEFAULTS);
    var view = new View(4).busy(BACKGROUND);

    assertThat(scheduler.plan(8, view)).containsExactly(0, 0, 0, 6);
  }

  @Test
  void the_reserved_slots_go_to_cognition_and_not_to_background() {
    var scheduler = new LaneScheduler(Lane.DEFAULTS);

    assertThat(scheduler.plan(2, new View(4).busy(BACKGROUND))).containsExactly(0, 0, 0, 0);
    assertThat(scheduler.plan(2, new View(4).busy(COGNITION, BACKGROUND)))
        .containsExactly(2, 0, 0, 0);
  }

  @Test
  void with_three_free_slots_background_takes_exactly_one() {
    var scheduler = new LaneScheduler(Lane.DEFAULTS);

    assertThat(scheduler.plan(3, new View(4).busy(BACKGROUND))).containsExactly(0, 0, 0, 1);
  }

  @Test
  void a_reserved_lane_never_leaves_fewer_free_slots_than_it_reserves() {
    var lanes = List.of(Lane.of("top", 1), Lane.of("bulk", 4).withReserved(3));
    var scheduler = new LaneScheduler(lanes);
    var onlyBulk = new View(2).busy(1);

    for (int free = 0; free <= 10; free++) {
      assertThat(scheduler.plan(free, onlyBulk)[1])
          .as("free %d", free)
          .isEqualTo(Math.max(0, free - 3));
    }
  }

  @Test
  void a_capped_lane_counts_its_running_jobs_against_the_cap() {
    var lanes = List.of(Lane.of("llm", 8).withMaxConcurrency(3), Lane.of("other", 1));
    var scheduler = new LaneScheduler(lanes);

    assertThat(scheduler.plan(8, new View(2).busy(0).running(0, 2))).containsExactly(1, 0);
    assertThat(scheduler.plan(8, new View(2).busy(0, 1).running(0, 2))).containsExactly(1, 7);
    assertThat(scheduler.plan(8, new View(2).busy(0, 1).running(0, 3))).containsExactly(0, 8);
  }

  @Test
  void a_capped_lane_never_exceeds_its_cap_in_one_plan() {
    var scheduler = new LaneScheduler(List.of(Lane.of("llm", 8).withMaxConcurrency(3)));

    assertThat(scheduler.plan(16, new View(1).busy(0))).containsExactly(3);
  }

  @Test
  void a_paused_lane_starts_nothing_and_the_others_share_its_slots() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);
    var view = new View(4).allBusy().pause(COGNITION);

    int[] quota = scheduler.plan(14, view);

    assertThat(quota[COGNITION]).isZero();
    assertThat(quota).containsExactly(0, 8, 4, 2);
  }

  @Test
  void slots_stay_free_when_the_only_lane_with_work_is_paused() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);

    assertThat(scheduler.plan(8, new View(4).busy(SOCIAL).pause(SOCIAL)))
        .containsExactly(0, 0, 0, 0);
  }

  @Test
  void nothing_is_planned_without_free_slots_or_without_work() {
    var scheduler = new LaneScheduler(WEIGHTED_ONLY);

    assertThat(scheduler.plan(0, new View(4).allBusy())).containsExactly(0, 0, 0, 0);
    assertThat(scheduler.plan(8, new View(4))).containsExactly(0, 0, 0, 0);
  }

  @Test
  void a_lane_back_from_idle_does_not_cash_in_the_credit_it_did_not_use() {
    var scheduler = new LaneScheduler(List.of(Lane.of("cognition", 8), Lane.of("background", 1)));
    for (int i = 0; i < 1_000; i++) {
      assertThat(scheduler.plan(1, new View(2).busy(1))).containsExactly(0, 1);
    }

    // Cognition wakes up with a backlog. Had it kept 1,000 plans of unused credit it would take
    // the next 8,000 slots alone; instead background keeps about its one-ninth share.
    var both = new View(2).allBusy();
    int[] total = new int[2];
    for (int i = 0; i < 10; i++) {
      add(total, scheduler.plan(9, both));
    }

    assertThat(total[1]).isBetween(9, 11);
    assertThat(total[0]).isBetween(79, 81);
  }

  @Test
  void a_refunded_slot_is_not_charged_to_the_lane() {
    var refunding = new LaneScheduler(List.of(Lane.of("a", 1), Lane.of("b", 1)));
    var keeping = new LaneScheduler(List.of(Lane.of("a", 1), Lane.of("b", 1)));
    var both = new View(2).allBusy();

    assertThat(refunding.plan(1, both)).containsExactly(1, 0);
    assertThat(keeping.plan(1, both)).containsExactly(1, 0);
    refunding.refund(0, 1);

    // "a" had less work than planned and gave the slot back: it is still first in line.
    assertThat(refunding.plan(1, both)).containsExactly(1, 0);
    assertThat(keeping.plan(1, both)).containsExactly(0, 1);
  }

  private static void add(int[] total, int[] quota) {
    for (int i = 0; i < total.length; i++) {
      total[i] += quota[i];
    }
  }

  /** A settable picture of the lanes. */
  private static final class View implements LaneScheduler.LaneView {
    private final boolean[] work;
    private final boolean[] paused;
    private final int[] running;
    private final int[] available;

    View(int lanes) {
      work = new boolean[lanes];
      paused = new boolean[lanes];
      running = new int[lanes];
      available = new int[lanes];
      Arrays.fill(available, Integer.MAX_VALUE);
    }

    View available(int lane, int jobs) {
      available[lane] = jobs;
      return this;
    }

    @Override
    public int available(int lane) {
      return available[lane];
    }

    View allBusy() {
      Arrays.fill(work, true);
      return this;
    }

    View busy(int... lanes) {
      for (int lane : lanes) {
        work[lane] = true;
      }
      return this;
    }

    View pause(int lane) {
      paused[lane] = true;
      return this;
    }

    View running(int lane, int jobs) {
      running[lane] = jobs;
      return this;
    }

    @Override
    public boolean hasWork(int lane) {
      return work[lane];
    }

    @Override
    public boolean paused(int lane) {
      return paused[lane];
    }

    @Override
    public int running(int lane) {
      return running[lane];
    }
  }
}
