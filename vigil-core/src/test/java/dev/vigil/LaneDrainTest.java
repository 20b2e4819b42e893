package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.job.Lane;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneDrainTest {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final boolean[] READY = {true, true};
  private static final boolean[] IDLE = {false, false};

  private final LaneDrain drain = new LaneDrain(List.of(Lane.of("chat", 8), Lane.of("batch", 1)));

  private void start(String lane, int n) {
    for (int i = 0; i < n; i++) {
      drain.started(lane);
    }
  }

  @Test
  void the_first_sample_after_the_baseline_is_the_rate() {
    drain.sample(T0, READY);
    start("batch", 40);
    drain.sample(T0.plusSeconds(2), READY);

    assertThat(drain.perSecond(1)).isEqualTo(20.0);
    assertThat(drain.perSecond(0)).isZero();
  }

  @Test
  void later_samples_move_the_rate_a_fifth_of_the_way() {
    drain.sample(T0, READY);
    start("batch", 20);
    drain.sample(T0.plusSeconds(1), READY);
    drain.sample(T0.plusSeconds(2), READY);

    assertThat(drain.perSecond(1)).isCloseTo(16.0, within(1e-9));
  }

  @Test
  void an_idle_lane_keeps_its_rate_and_a_stalled_one_loses_it() {
    drain.sample(T0, READY);
    start("chat", 10);
    start("batch", 10);
    drain.sample(T0.plusSeconds(1), READY);
    drain.sample(T0.plusSeconds(2), new boolean[] {false, true});

    assertThat(drain.perSecond(0)).as("nothing ready, nothing started").isEqualTo(10.0);
    assertThat(drain.perSecond(1)).as("ready jobs, none started").isLessThan(10.0);
  }

  @Test
  void starts_before_the_baseline_and_samples_without_time_passing_count_nothing() {
    start("chat", 100);
    drain.sample(T0, IDLE);
    drain.sample(T0, READY);

    assertThat(drain.perSecond(0)).isZero();
  }

  @Test
  void starts_of_a_lane_not_configured_are_ignored() {
    drain.started("gone");
    drain.sample(T0, READY);

    assertThat(drain.perSecond(0)).isZero();
  }
}
