package dev.vigil;

import dev.vigil.job.Job;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The {@code vigil_job_phase_seconds{lane,type,phase}} histogram: how the time of each job type
 * splits between waiting in the queue ({@code queue_wait}), running ({@code run}) and the spans
 * its handlers time ({@code llm_call}, {@code db_query}, ...).
 *
 * <p>Labels stay bounded: the phase is a span's name only for the first {@value #MAX_SPAN_NAMES}
 * distinct names seen (every later name, and the reserved names {@code queue_wait} and {@code run}
 * used as span names, count as {@code other}); lanes and types are bounded by the label functions
 * the engine's metrics give. One timer per (lane, type, phase), built on first use and cached, so a
 * record costs a map lookup. {@link #DISABLED} records nothing.
 */
final class PhaseMeters {
  static final String NAME = "vigil.job.phase";
  static final String QUEUE_WAIT = "queue_wait";
  static final String RUN = "run";
  static final String OTHER = "other";

  /** Distinct span names given their own phase label. */
  static final int MAX_SPAN_NAMES = 32;

  /** Buckets from 1 ms (a database call) to 10 min (a long job's run). */
  static final Duration[] BUCKETS = buckets(
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);

  static final PhaseMeters DISABLED = new PhaseMeters(null, null, null, null);

  private final MeterRegistry registry;
  private final UnaryOperator<String> laneLabel;
  private final UnaryOperator<String> typeLabel;
  private final Consumer<Timer> registered;
  private final Set<String> spanNames = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * @param laneLabel and {@code typeLabel} map a job's lane and type to bounded label values
   * @param registered told of every timer built, so the engine can remove it when it stops
   */
  PhaseMeters(
      MeterRegistry registry,
      UnaryOperator<String> laneLabel,
      UnaryOperator<String> typeLabel,
      Consumer<Timer> registered) {
    this.registry = registry;
    this.laneLabel = laneLabel;
    this.typeLabel = typeLabel;
    this.registered = registered;
  }

  boolean enabled() {
    return registry != null;
  }

  /** An attempt of {@code job} (as claimed) started: records its wait since the job was due. */
  void started(Job job) {
    if (registry == null || job.startedAt() == null || job.runAt() == null) {
      return;
    }
    Instant due = job.createdAt() != null && job.runAt().isBefore(job.createdAt()) ? job.createdAt() : job.runAt();
    record(job, QUEUE_WAIT, Duration.between(due, job.startedAt()));
  }

  /** An attempt of {@code job} ran for {@code took}. */
  void ran(Job job, Duration took) {
    if (registry != null) {
      record(job, RUN, took);
    }
  }

  /** A span named {@code name} of an attempt of {@code job} took {@code took}. */
  void span(Job job, String name, Duration took) {
    if (registry != null) {
      record(job, phaseOf(name), took);
    }
  }

  /** The phase label of a span name. */
  String phaseOf(String spanName) {
    if (spanName.equals(QUEUE_WAIT) || spanName.equals(RUN) || spanName.equals(OTHER)) {
      return OTHER;
    }
    if (spanNames.contains(spanName)) {
      return spanName;
    }
    synchronized (spanNames) {
      if (spanNames.size() < MAX_SPAN_NAMES) {
        spanNames.add(spanName);
        return spanName;
      }
    }
    return spanNames.contains(spanName) ? spanName : OTHER;
  }

  private void record(Job job, String phase, Duration took) {
    String lane = laneLabel.apply(job.lane());
    String type = typeLabel.apply(job.type());
    String key = lane + '\u0000' + type + '\u0000' + phase;
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, k -> build(lane, type, phase));
    }
    timer.record(Math.max(0, took.toNanos()), TimeUnit.NANOSECONDS);
  }

  private Timer build(String lane, String type, String phase) {
    Timer t =
        Timer.builder(NAME)
            .description("Time of each phase of a job's attempts: queue_wait, run, and the spans handlers time")
            .tags("lane", lane, "type", type, "phase", phase)
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    registered.accept(t);
    return t;
  }

  /** Histogram buckets at these many seconds. */
  static Duration[] buckets(double... seconds) {
    var out = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return out;
  }
}
