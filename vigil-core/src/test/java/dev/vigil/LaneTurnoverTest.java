package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LaneTurnoverTest {
  private final AtomicLong now = new AtomicLong();
  private final LaneTurnover turnover = new LaneTurnover(2, now::get);

  @Test
  void counts_the_jobs_each_lane_ended_in_the_current_window() {
    for (int i = 0; i < 5; i++) {
      turnover.ended(0);
    }
    turnover.ended(1);

    assertThat(turnover.recent(0)).isEqualTo(5);
    assertThat(turnover.recent(1)).isEqualTo(1);
  }

  @Test
  void remembers_the_last_whole_window_while_the_next_one_fills() {
    for (int i = 0; i < 5; i++) {
      turnover.ended(0);
    }
    now.addAndGet(LaneTurnover.WINDOW);
    turnover.ended(0);

    assertThat(turnover.recent(0)).isEqualTo(5);
  }

  @Test
  void forgets_a_lane_that_ended_nothing_for_two_windows() {
    for (int i = 0; i < 5; i++) {
      turnover.ended(0);
    }
    now.addAndGet(2 * LaneTurnover.WINDOW);

    assertThat(turnover.recent(0)).isZero();
  }

  @Test
  void a_lane_of_long_jobs_has_no_turnover() {
    assertThat(turnover.recent(1)).isZero();
  }
}
