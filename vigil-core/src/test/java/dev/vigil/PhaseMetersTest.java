package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseMetersTest {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EngineMetrics metrics = new EngineMetrics(registry, Lane.DEFAULTS, Set.of("reply"));
  private final PhaseMeters phases =
      new PhaseMeters(registry, metrics::laneLabel, metrics::typeLabel, metrics::keep);

  private static Job running() {
    return Job.builder()
        .id("j-1").type("reply").lane("cognition").state(JobState.RUNNING)
        .createdAt(T0).runAt(T0.plusSeconds(2)).startedAt(T0.plusSeconds(5)).attempt(1)
        .build();
  }

  private Timer phase(String phase) {
    return registry.find(PhaseMeters.NAME).tags("lane", "cognition", "type", "reply", "phase", phase).timer();
  }

  @Test
  void queue_wait_run_and_span_names_are_phases_of_one_histogram() {
    phases.started(running());
    phases.span(running(), "llm_call", Duration.ofMillis(800));
    phases.span(running(), "llm_call", Duration.ofMillis(200));
    phases.span(running(), "db_query", Duration.ofMillis(5));
    phases.ran(running(), Duration.ofSeconds(2));

    assertThat(phase("queue_wait").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_000);
    assertThat(phase("llm_call").count()).isEqualTo(2);
    assertThat(phase("llm_call").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    assertThat(phase("db_query").count()).isEqualTo(1);
    assertThat(phase("run").totalTime(TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void only_the_first_span_names_get_their_own_phase_and_reserved_names_count_as_other() {
    for (int i = 0; i < PhaseMeters.MAX_SPAN_NAMES + 50; i++) {
      phases.span(running(), "step_" + i, Duration.ofMillis(1));
    }
    phases.span(running(), "run", Duration.ofMillis(1));
    phases.span(running(), "queue_wait", Duration.ofMillis(1));

    long series = registry.find(PhaseMeters.NAME).timers().size();
    assertThat(series).isEqualTo(PhaseMeters.MAX_SPAN_NAMES + 1);
    assertThat(phase("other").count()).isEqualTo(52);
    assertThat(phase("step_0").count()).isEqualTo(1);
    assertThat(phases.phaseOf("step_0")).isEqualTo("step_0");
  }

  @Test
  void the_engine_removes_the_phase_timers_when_it_closes() {
    phases.ran(running(), Duration.ofSeconds(1));

    metrics.close();

    assertThat(registry.find(PhaseMeters.NAME).timers()).isEmpty();
  }

  @Test
  void disabled_phases_record_nothing() {
    PhaseMeters.DISABLED.started(running());
    PhaseMeters.DISABLED.span(running(), "llm_call", Duration.ofSeconds(1));
    PhaseMeters.DISABLED.ran(running(), Duration.ofSeconds(1));

    assertThat(PhaseMeters.DISABLED.enabled()).isFalse();
    assertThat(registry.find(PhaseMeters.NAME).timers()).isEmpty();
  }
}
