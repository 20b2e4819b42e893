package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.JobRejectedException.Reason;
import dev.vigil.job.Backpressure;
import dev.vigil.job.Backpressure.Level;
import dev.vigil.job.Lane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AdmissionPolicyTest {
  private static final List<Lane> LANES = Lane.DEFAULTS; // cognition 8 (protected), social 4, sensory 2, background 1

  private static AdmissionPolicy policy(Level cognition, Level social, Level sensory, Level background) {
    var pressure = new ArrayList<Backpressure>();
    for (Level l : List.of(cognition, social, sensory, background)) {
      pressure.add(new Backpressure(l, "test"));
    }
    return AdmissionPolicy.of(LANES, pressure, new long[4], new long[4], new double[] {10, 10, 10, 10});
  }

  private static Reason refusal(AdmissionPolicy p, int lane) {
    AdmissionPolicy.Refusal r = p.refusal(lane);
    return r == null ? null : r.reason();
  }

  @Nested
  class Rule {
    @Test
    void every_lane_accepts_below_critical() {
      AdmissionPolicy p = policy(Level.WARNING, Level.WARNING, Level.NORMAL, Level.WARNING);

      for (int i = 0; i < 4; i++) {
        assertThat(p.refusal(i)).isNull();
      }
    }

    @Test
    void an_overloaded_lane_refuses_unless_it_is_protected() {
      AdmissionPolicy p = policy(Level.OVERLOADED, Level.OVERLOADED, Level.NORMAL, Level.OVERLOADED);

      assertThat(refusal(p, 0)).as("cognition is protected").isNull();
      assertThat(refusal(p, 1)).isEqualTo(Reason.OVERLOADED);
      assertThat(refusal(p, 2)).isNull();
      assertThat(refusal(p, 3)).isEqualTo(Reason.OVERLOADED);
    }

    @Test
    void of_the_lanes_at_critical_or_worse_the_lowest_weight_sheds_first() {
      AdmissionPolicy p = policy(Level.NORMAL, Level.CRITICAL, Level.CRITICAL, Level.NORMAL);

      assertThat(refusal(p, 1)).as("social keeps accepting").isNull();
      assertThat(refusal(p, 2)).as("sensory is the lowest at critical").isEqualTo(Reason.SHED);
    }

    @Test
    void a_lane_at_critical_keeps_accepting_while_a_lower_lane_is_overloaded() {
      AdmissionPolicy p = policy(Level.NORMAL, Level.CRITICAL, Level.NORMAL, Level.OVERLOADED);

      assertThat(refusal(p, 1)).isNull();
      assertThat(refusal(p, 3)).isEqualTo(Reason.OVERLOADED);
    }

    @Test
    void a_protected_lane_at_critical_neither_sheds_nor_spares_the_others() {
      AdmissionPolicy p = policy(Level.CRITICAL, Level.CRITICAL, Level.NORMAL, Level.NORMAL);

      assertThat(refusal(p, 0)).isNull();
      assertThat(refusal(p, 1)).isEqualTo(Reason.SHED);
    }

    @Test
    void lanes_of_the_same_lowest_weight_shed_together() {
      var lanes = List.of(Lane.of("a", 2), Lane.of("b", 2), Lane.of("c", 5));
      var critical = new Backpressure(Level.CRITICAL, "test");
      AdmissionPolicy p =
          AdmissionPolicy.of(lanes, List.of(critical, critical, critical), new long[3], new long[3], new double[3]);

      assertThat(refusal(p, 0)).isEqualTo(Reason.SHED);
      assertThat(refusal(p, 1)).isEqualTo(Reason.SHED);
      assertThat(refusal(p, 2)).isNull();
    }
  }

  @Nested
  class RetryAfter {
    private final Lane background = Lane.of("background", 1).withCapacity(1_000).withTargetWait(Duration.ofMinutes(10));

    @Test
    void is_the_time_to_drain_down_to_half_the_capacity_at_the_recent_rate() {
      assertThat(AdmissionPolicy.retryAfter(background, 1_100, 20)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void or_down_to_what_the_lane_starts_within_its_target_wait_when_that_is_less() {
      Lane cognition = Lane.of("cognition", 8).withCapacity(1_000).withTargetWait(Duration.ofSeconds(2));

      assertThat(AdmissionPolicy.retryAfter(cognition, 300, 50)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void is_whole_seconds_between_one_and_three_hundred() {
      assertThat(AdmissionPolicy.retryAfter(background, 1_001, 3)).isEqualTo(Duration.ofSeconds(167));
      assertThat(AdmissionPolicy.retryAfter(background, 500, 20)).isEqualTo(Duration.ofSeconds(1));
      assertThat(AdmissionPolicy.retryAfter(background, 100_000, 20)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void is_the_longest_when_the_lane_has_not_drained_lately() {
      assertThat(AdmissionPolicy.retryAfter(background, 1_100, 0)).isEqualTo(Duration.ofMinutes(5));
    }
  }
}
