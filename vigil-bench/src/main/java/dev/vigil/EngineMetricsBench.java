package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's metric recording path into a Prometheus registry, as {@code vigil server} runs it: a
 * counter increment and a histogram (timer) record, each including the lookup of the cached meters
 * of a (lane, type) pair, and the whole of what one job state change costs ({@link
 * EngineMetrics#transition}: creation moves one counter; success moves one counter and two
 * histograms). Goals: under 50 ns per counter, under 100 ns per histogram record. {@code disabled}
 * is the engine without a registry. In package {@code dev.vigil} because {@code EngineMetrics} is
 * package-private.
 *
 * <pre>
 * ./vigil bench jmh EngineMetricsBench
 * ./vigil bench jmh EngineMetricsBench -t 4     # four threads recording at once
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineMetricsBench {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final java.time.Duration RUN = java.time.Duration.ofMillis(1_214);

  private PrometheusMeterRegistry registry;
  private EngineMetrics metrics;
  private PhaseMeters phases;
  private Job created;
  private Job running;
  private Job succeeded;
  private final Instant at = T0.plusMillis(1_234);

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = new EngineMetrics(registry, Lane.DEFAULTS, Set.of("generate_reply"));
    created =
        Job.builder()
            .id("0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d")
            .type("generate_reply")
            .lane("cognition")
            .state(JobState.READY)
            .createdAt(T0)
            .runAt(T0)
            .build();
    running = created.toBuilder().state(JobState.RUNNING).startedAt(T0.plusMillis(20)).build();
    succeeded = running.toBuilder().state(JobState.SUCCEEDED).build();
    phases = new PhaseMeters(registry, metrics::laneLabel, metrics::typeLabel, metrics::keep);
  }

  @TearDown
  public void tearDown() {
    metrics.close();
    registry.close();
  }

  /** One counter increment: the meters' lookup by lane and type, then {@code increment()}. */
  @Benchmark
  public void counterIncrement() {
    metrics.meters("cognition", "generate_reply").succeeded.increment();
  }

  /** One histogram record: the lookup, then {@code Timer.record} into 15 buckets. */
  @Benchmark
  public void histogramRecord() {
    metrics.meters("cognition", "generate_reply").run.record(1_214_000_000L, TimeUnit.NANOSECONDS);
  }

  /** A job created: what {@code enqueue} records per job (one counter). */
  @Benchmark
  public void transitionCreated() {
    metrics.transition(created, null, at);
  }

  /** A job succeeded: one counter and two histograms (run time, end-to-end latency). */
  @Benchmark
  public void transitionSucceeded() {
    metrics.transition(succeeded, JobState.RUNNING, at);
  }

  /**
   * Everything recorded for one job that runs once and succeeds: created, started (with its queue
   * wait), succeeded (run time, latency) and the queue-wait and run phases of {@code
   * vigil_job_phase_seconds}: three counters and six histograms.
   */
  @Benchmark
  public void jobLifecycle() {
    metrics.transition(created, null, T0);
    metrics.transition(running, JobState.READY, running.startedAt());
    phases.started(running);
    metrics.transition(succeeded, JobState.RUNNING, at);
    phases.ran(running, RUN);
  }

  /** Without a registry: the check that returns at once. */
  @Benchmark
  public void disabled() {
    EngineMetrics.DISABLED.transition(succeeded, JobState.RUNNING, at);
  }
}
