package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Lane;
import dev.vigil.job.LaneStatus;
import dev.vigil.llm.UsageTotals;
import java.math.BigDecimal;
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

    String line = StatusLine.format(LocalTime.of(8, 41, 2), 4.46, lanes, 7, 1, null);

    assertThat(line)
        .isEqualTo(
            "08:41:02    4.5 jobs/s | cognition 2/1  background (paused) 0/9 | retries 7  dead 1");
  }

  @Test
  void a_line_ends_with_what_the_model_calls_cost_and_emitted_and_an_unknown_cost_is_not_shown_as_free() {
    var priced = new UsageTotals(12, 1, 20_000, 5_000, 3_000, 0, new BigDecimal("0.4251"), 1, new BigDecimal("0.01"), 9.5, 4.512);
    var unpriced = new UsageTotals(1, 0, 900, 0, 100, 0, null, 1, null, 0.7, 0.33);

    var lanes = List.of(new LaneStatus(Lane.DEFAULTS.get(0), 0, 1, 0, null));

    assertThat(StatusLine.format(LocalTime.of(8, 41, 2), 1, lanes, 0, 0, priced))
        .isEqualTo("08:41:02    1.0 jobs/s | cognition 0/1 | retries 0  dead 0 | $0.43  4.5 g CO2e");
    assertThat(StatusLine.format(LocalTime.of(8, 41, 2), 1, lanes, 0, 0, unpriced))
        .endsWith("| $?  0.3 g CO2e");
    assertThat(StatusLine.format(LocalTime.of(8, 41, 2), 1, lanes, 0, 0, UsageTotals.NONE))
        .endsWith("| $0.00  0.0 g CO2e");
  }
}
