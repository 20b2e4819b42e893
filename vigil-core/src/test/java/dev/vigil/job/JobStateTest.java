package dev.vigil.job;

import static dev.vigil.job.JobState.CANCELLED;
import static dev.vigil.job.JobState.DEAD;
import static dev.vigil.job.JobState.READY;
import static dev.vigil.job.JobState.RUNNING;
import static dev.vigil.job.JobState.SCHEDULED;
import static dev.vigil.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.VigilException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobStateTest {

  /**
   * The lifecycle of DESIGN.md ("The job"), plus {@code running → ready}, which JobState documents
   * and the engine uses when a lease is given back (shutdown) or expires with attempts left.
   */
  private static final Map<JobState, Set<JobState>> ALLOWED =
      Map.of(
          SCHEDULED, EnumSet.of(READY, CANCELLED),
          READY, EnumSet.of(RUNNING, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, SCHEDULED, DEAD, CANCELLED, READY),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          DEAD, EnumSet.of(READY),
          CANCELLED, EnumSet.of(READY));

  static Stream<Arguments> everyPair() {
    return Arrays.stream(JobState.values())
        .flatMap(
            from ->
                Arrays.stream(JobState.values())
                    .map(to -> Arguments.of(from, to, ALLOWED.get(from).contains(to))));
  }

  @Test
  void the_table_covers_all_36_pairs_with_11_allowed() {
    assertThat(everyPair()).hasSize(36);
    assertThat(everyPair().filter(a -> (boolean) a.get()[2])).hasSize(11);
  }

  @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
  @MethodSource("everyPair")
  void a_transition_is_allowed_exactly_when_the_lifecycle_says_so(
      JobState from, JobState to, boolean allowed) {
    assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
    if (allowed) {
      assertThatCode(() -> from.checkTransitionTo(to, "job-1")).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> from.checkTransitionTo(to, "job-1"))
          .isInstanceOf(IllegalTransitionException.class);
    }
  }

  @Test
  void a_refused_transition_names_the_job_and_both_states() {
    assertThatThrownBy(() -> SUCCEEDED.checkTransitionTo(CANCELLED, "0190a1b2-job"))
        .isInstanceOf(VigilException.class)
        .isInstanceOfSatisfying(
            IllegalTransitionException.class,
            e -> {
              assertThat(e.jobId()).isEqualTo("0190a1b2-job");
              assertThat(e.from()).isEqualTo(SUCCEEDED);
              assertThat(e.to()).isEqualTo(CANCELLED);
              assertThat(e.getMessage())
                  .contains("0190a1b2-job")
                  .contains("succeeded")
                  .contains("cancelled");
            });
  }

  @Test
  void succeeded_dead_and_cancelled_are_terminal_and_the_rest_active() {
    assertThat(Arrays.stream(JobState.values()).filter(JobState::isTerminal))
        .containsExactlyInAnyOrder(SUCCEEDED, DEAD, CANCELLED);
    assertThat(Arrays.stream(JobState.values()).filter(JobState::isActive))
        .containsExactlyInAnyOrder(SCHEDULED, READY, RUNNING);
    for (JobState s : JobState.values()) {
      assertThat(s.isActive()).as(s.wireName()).isNotEqualTo(s.isTerminal());
    }
  }

  @Test
  void a_terminal_job_leaves_only_by_a_manual_retry_to_ready() {
    for (JobState terminal : EnumSet.of(SUCCEEDED, DEAD, CANCELLED)) {
      for (JobState to : JobState.values()) {
        if (terminal.canTransitionTo(to)) {
          assertThat(to).as("%s -> %s", terminal, to).isEqualTo(READY);
        }
      }
    }
  }

  @Test
  void wire_names_are_the_lower_case_names_of_the_http_api_and_round_trip() {
    assertThat(Arrays.stream(JobState.values()).map(JobState::wireName))
        .containsExactly("scheduled", "ready", "running", "succeeded", "dead", "cancelled");
    for (JobState s : JobState.values()) {
      assertThat(JobState.fromWire(s.wireName())).isSameAs(s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"READY", "Ready", "done", "failed", "", " ready"})
  void unknown_wire_names_are_refused(String name) {
    assertThatThrownBy(() -> JobState.fromWire(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown job state");
  }

  @Test
  void a_missing_wire_name_is_refused() {
    assertThatThrownBy(() -> JobState.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
