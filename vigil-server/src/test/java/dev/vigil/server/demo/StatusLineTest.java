package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Lane;
import dev.vigil.job.LaneStatus;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusLineTest {

  @Test
  void a_line_shows_throughput_each_lane_running_over_waiting_then_retries_and_dead() {
    var lanes =
        List.of(
            new LaneStatus(Lane.DEFAULTS.get(0), 0, 1, 2, null),
            new LaneStatus(Lane.DEFAULTS.get(3).withPaused(true), 4, 5, 0, null));

    String line = StatusLine.format(LocalTime.of(8, 41, 2), 4.46, lanes, 7, 1);

    assertThat(line)
        .isEqualTo(
            "08:41:02    4.5 jobs/s | cognition 2/1  background (paused) 0/9 | retries 7  dead 1");
  }
}
