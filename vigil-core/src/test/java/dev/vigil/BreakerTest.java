package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Breaker.Verdict;
import dev.vigil.job.Hold;
import dev.vigil.limits.BreakerEvent;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.BreakerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One breaker's state machine, driven by hand: what opens it, what a probe decides. */
class BreakerTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final Breaker breaker = new Breaker("type:call", "type:call", BreakerSettings.DEFAULTS, T0);
  private final List<BreakerEvent> moved = new ArrayList<>();
  private int jobs;

  private BreakerEvent attempt(Verdict v, Instant at) {
    return breaker.ended("j" + jobs++, v, at);
  }

  private void failTwenty(Instant at) {
    for (int i = 0; i < 20; i++) {
      attempt(Verdict.FAILED, at);
    }
  }

  @Test
  void the_cool_down_doubles_on_each_reopening_up_to_the_maximum() {
    BreakerSettings s = BreakerSettings.DEFAULTS;

    assertThat(List.of(1, 2, 3, 4, 5, 6, 40).stream().map(s::coolDownAfter).toList()).containsExactly(
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(4),
        Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThatThrownBy(() -> s.coolDownAfter(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void it_opens_on_the_attempt_that_makes_the_last_twenty_half_failed() {
    for (int i = 0; i < 10; i++) {
      assertThat(attempt(Verdict.SUCCEEDED, T0)).isNull();
    }
    for (int i = 0; i < 9; i++) {
      assertThat(attempt(Verdict.FAILED, T0)).isNull();
    }
    assertThat(attempt(Verdict.NEUTRAL, T0)).as("says nothing, counts nothing").isNull();

    BreakerEvent opened = attempt(Verdict.FAILED, T0.plusSeconds(1));

    assertThat(opened).isEqualTo(new BreakerEvent(
        "type:call", BreakerState.CLOSED, BreakerState.OPEN, 0.5, T0.plusSeconds(31), T0.plusSeconds(1)));
    assertThat(breaker.admit("next", T0.plusSeconds(2), moved))
        .isEqualTo(new Hold(Hold.BREAKER, "type:call", T0.plusSeconds(31)));
  }

  @Test
  void older_attempts_slide_out_of_the_last_twenty() {
    for (int i = 0; i < 9; i++) {
      attempt(Verdict.FAILED, T0);
    }
    for (int i = 0; i < 11; i++) {
      assertThat(attempt(Verdict.SUCCEEDED, T0)).isNull();
    }
    for (int i = 0; i < 9; i++) {
      // 18 of 29 attempts failed, but of the last 20 only 9
      assertThat(attempt(Verdict.FAILED, T0)).isNull();
    }
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.status(T0).failureRatio()).isEqualTo(0.45);
  }

  @Test
  void half_open_it_admits_exactly_one_probe_and_holds_the_rest_until_a_cool_down_later() {
    failTwenty(T0);
    Instant probeTime = T0.plusSeconds(30);

    assertThat(breaker.admit("probe", probeTime, moved)).isNull();
    assertThat(moved).extracting(BreakerEvent::to).containsExactly(BreakerState.HALF_OPEN);
    assertThat(breaker.admit("other", probeTime, moved))
        .isEqualTo(new Hold(Hold.BREAKER, "type:call", probeTime.plusSeconds(30)));
    assertThat(breaker.status(probeTime).since()).as("half-open since the cool-down ended").isEqualTo(probeTime);
    assertThat(breaker.status(probeTime).nextProbeAt()).isNull();
  }

  @Test
  void a_probe_whose_verdict_says_nothing_frees_its_place_and_other_jobs_verdicts_do_not_decide() {
    failTwenty(T0);
    Instant t = T0.plusSeconds(30);
    breaker.admit("probe", t, moved);

    assertThat(breaker.ended("started-before-it-opened", Verdict.SUCCEEDED, t)).isNull();
    assertThat(breaker.ended("probe", Verdict.NEUTRAL, t)).isNull();
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(breaker.admit("second-probe", t, moved)).isNull();

    BreakerEvent closed = breaker.ended("second-probe", Verdict.SUCCEEDED, t.plusSeconds(2));
    assertThat(closed.to()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.admit("anyone", t.plusSeconds(2), moved)).isNull();
  }

  @Test
  void a_probe_not_started_after_all_gives_its_place_back() {
    failTwenty(T0);
    Instant t = T0.plusSeconds(30);
    breaker.admit("probe", t, moved);
    assertThat(breaker.probeOlderThan(Duration.ofSeconds(10), t.plusSeconds(10))).isEqualTo("probe");

    breaker.notStarted("probe");

    assertThat(breaker.probeOlderThan(Duration.ofSeconds(10), t.plusSeconds(10))).isNull();
    assertThat(breaker.admit("another", t, moved)).isNull();
  }

  @Test
  void a_failed_probe_reopens_with_twice_the_cool_down_and_a_success_resets_it() {
    failTwenty(T0);
    Instant t = T0.plusSeconds(30);
    breaker.admit("p1", t, moved);
    assertThat(breaker.ended("p1", Verdict.FAILED, t).nextProbeAt()).isEqualTo(t.plusSeconds(60));
    t = t.plusSeconds(60);
    breaker.admit("p2", t, moved);
    assertThat(breaker.ended("p2", Verdict.FAILED, t).nextProbeAt()).isEqualTo(t.plusSeconds(120));
    t = t.plusSeconds(120);
    breaker.admit("p3", t, moved);
    breaker.ended("p3", Verdict.SUCCEEDED, t);

    failTwenty(t);
    assertThat(breaker.status(t).nextProbeAt()).as("a new opening starts from cool_down again").isEqualTo(t.plusSeconds(30));
  }

  @Test
  void settings_out_of_range_name_the_setting() {
    assertThatThrownBy(() -> new BreakerSettings(true, 0.5, 19, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5)))
        .hasMessage("min_attempts: must be between 20 and 10000 (got 19)");
    assertThatThrownBy(() -> new BreakerSettings(true, Double.NaN, 20, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5)))
        .hasMessage("failure_ratio: must be above 0 and at most 1 (got NaN)");
  }
}
