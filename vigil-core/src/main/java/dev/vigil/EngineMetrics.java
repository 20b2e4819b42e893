package dev.vigil;

import dev.vigil.job.Backpressure;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The engine's job meters (Micrometer), recorded on the hot paths: every state change a job
 * makes passes through {@link #transition}.
 *
 * <p>Design: recording must cost a map lookup and an increment, so the meters of one {@code
 * (lane, type)} pair are built together on the pair's first event and cached; nothing builds a
 * tag list per call. Label values come from bounded sets only. Lanes are configured (a job of a
 * lane no longer configured counts as {@code lane="other"}); job types are free text from
 * clients, so {@link TypeLabels} admits the first {@link TypeLabels#MAX_TYPES} distinct types
 * (types with a handler always) and records any later one as {@code type="other"}. A job id,
 * unique key, correlation id or payload value never becomes a label.
 *
 * <p>Without a registry the engine uses {@link #DISABLED}, whose methods return at once, so an
 * embedding that does not ask for metrics pays nothing. {@link #close()} removes every meter this
 * engine registered, so a registry that outlives the engine holds no reference to it.
 */
final class EngineMetrics implements AutoCloseable {
  /** No registry: nothing is recorded. */
  static final EngineMetrics DISABLED = new EngineMetrics();

  /** Histogram buckets for job times: 10 ms to 10 min. */
  static final Duration[] JOB_BUCKETS =
      seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);

  /** Histogram buckets for store calls: 0.5 ms to 10 s. */
  static final Duration[] STORE_BUCKETS =
      seconds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

  static final String OTHER = "other";

  /** How {@link JobFactory} begins the message of a payload over the limit. */
  static final String PAYLOAD_TOO_LARGE_MESSAGE = "is larger than";

  /** Why an enqueue was refused; the {@code reason} label of {@code vigil_jobs_rejected_total}. */
  enum Rejection {
    INVALID,
    DUPLICATE,
    PAYLOAD_TOO_LARGE,
    LANE_FULL,
    SHED,
    OVERLOADED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Map<String, LaneMeters> lanes;
  private final TypeLabels types;
  private final ConcurrentHashMap<String, Counter> rejections = new ConcurrentHashMap<>();
  private final Map<String, Counter> pressureChanges;
  private final List<Meter> registered = new CopyOnWriteArrayList<>();
  private final Counter leaseRescues;

  private EngineMetrics() {
    registry = null;
    lanes = Map.of();
    types = null;
    leaseRescues = null;
    pressureChanges = Map.of();
  }

  /**
   * @param lanes the configured lanes, whose names are the {@code lane} labels
   * @param handledTypes job types with a handler here, always given their own {@code type} label
   */
  EngineMetrics(MeterRegistry registry, List<Lane> lanes, Set<String> handledTypes) {
    this.registry = registry;
    this.types = new TypeLabels(handledTypes);
    var byName = new HashMap<String, LaneMeters>();
    for (Lane lane : lanes) {
      byName.put(lane.name(), new LaneMeters(lane.name()));
    }
    byName.put(OTHER, new LaneMeters(OTHER));
    this.lanes = Map.copyOf(byName);
    // built up front, so that the series exist (at 0) before the first change and never grow
    var changes = new HashMap<String, Counter>();
    for (Lane lane : lanes) {
      for (Backpressure.Level to : Backpressure.Level.values()) {
        changes.put(
            lane.name() + '\u0000' + to.wireName(),
            keep(
                Counter.builder("vigil.backpressure.transitions")
                    .description("Changes of a lane's backpressure level, by the level changed to")
                    .tags("lane", lane.name(), "to", to.wireName())
                    .register(registry)));
      }
    }
    this.pressureChanges = Map.copyOf(changes);
    this.leaseRescues =
        keep(
            Counter.builder("vigil.lease.rescues")
                .description("Running jobs whose lease expired and were taken back (retried or dead)")
                .register(registry));
  }

  boolean enabled() {
    return registry != null;
  }

  /** The registry meters go to; null when disabled. */
  MeterRegistry registry() {
    return registry;
  }

  /** Records that {@code job} (as it is now) came from {@code from} ({@code null}: created) at {@code at}. */
  void transition(Job job, JobState from, Instant at) {
    if (registry == null) {
      return;
    }
    JobMeters m = meters(job.lane(), job.type());
    JobState to = job.state();
    if (from == null) {
      m.enqueued.increment();
      return;
    }
    switch (to) {
      case RUNNING -> {
        m.started.increment();
        Instant started = job.startedAt() != null ? job.startedAt() : at;
        Instant due = job.runAt();
        if (due != null && job.createdAt() != null && due.isBefore(job.createdAt())) {
          due = job.createdAt();
        }
        if (due != null) {
          record(m.queueWait, due, started);
        }
      }
      case SUCCEEDED -> {
        m.succeeded.increment();
        Instant end = end(job, at);
        recordRun(m, job, end);
        if (job.createdAt() != null) {
          record(m.latency, job.createdAt(), end);
        }
      }
      case SCHEDULED -> {
        if (from == JobState.RUNNING) {
          m.failed.increment();
          m.retried.increment();
          recordRun(m, job, end(job, at));
        }
      }
      case DEAD -> {
        if (from == JobState.RUNNING) {
          m.failed.increment();
          recordRun(m, job, end(job, at));
        }
        m.dead.increment();
      }
      case CANCELLED -> {
        if (from == JobState.RUNNING) {
          recordRun(m, job, end(job, at));
        }
        m.cancelled.increment();
      }
      case READY -> {
        // promotion, a lease given back at shutdown, or a manual retry: no meter moves
      }
    }
  }

  /** Counts {@code count} jobs of a lane and type refused for {@code why}. */
  void rejected(String lane, String type, Rejection why, int count) {
    if (registry == null || count < 1) {
      return;
    }
    String laneLabel = laneLabel(lane == null ? Lane.DEFAULT_LANE : lane);
    String typeLabel = types.ofRequest(type);
    String key = laneLabel + '\u0000' + typeLabel + '\u0000' + why.label();
    rejections
        .computeIfAbsent(
            key,
            k ->
                keep(
                    Counter.builder("vigil.jobs.rejected")
                        .description("Jobs refused at enqueue, by reason (invalid, duplicate, payload_too_large, lane_full, shed, overloaded)")
                        .tags("lane", laneLabel, "type", typeLabel, "reason", why.label())
                        .register(registry)))
        .increment(count);
  }

  /**
   * Counts every request of a refused enqueue (a batch is refused as a whole): {@code
   * payload_too_large} for a request whose payload was over the limit, {@code invalid} otherwise.
   */
  void rejected(List<JobRequest> requests, InvalidRequestException e) {
    if (registry == null) {
      return;
    }
    for (int i = 0; i < requests.size(); i++) {
      String payloadField = requests.size() == 1 ? "payload" : "jobs[" + i + "].payload";
      boolean tooLarge =
          e.errors().stream()
              .anyMatch(f -> f.field().equals(payloadField) && f.message().startsWith(PAYLOAD_TOO_LARGE_MESSAGE));
      JobRequest r = requests.get(i);
      rejected(r.lane(), r.type(), tooLarge ? Rejection.PAYLOAD_TOO_LARGE : Rejection.INVALID, 1);
    }
  }

  /** A lane's backpressure level changed to {@code to}. */
  void backpressureChanged(String lane, Backpressure.Level to) {
    if (registry == null) {
      return;
    }
    Counter c = pressureChanges.get(laneLabel(lane) + '\u0000' + to.wireName());
    if (c != null) {
      c.increment();
    }
  }

  /** A running job's expired lease was taken back. */
  void leaseRescued() {
    if (registry != null) {
      leaseRescues.increment();
    }
  }

  /** Keeps a meter this engine registered, to remove it again on {@link #close()}. */
  <M extends Meter> M keep(M meter) {
    registered.add(meter);
    return meter;
  }

  /** Builds (once) a meter with this registry and keeps it for removal on close. */
  <M extends Meter> M register(Function<MeterRegistry, M> build) {
    return keep(build.apply(registry));
  }

  @Override
  public void close() {
    if (registry == null) {
      return;
    }
    for (Meter m : registered) {
      registry.remove(m);
    }
    registered.clear();
  }

  /** The bounded {@code lane} label of a job's lane: the lane if configured, else {@code other}. */
  String laneLabel(String lane) {
    return lanes.containsKey(lane) ? lane : OTHER;
  }

  /** The bounded {@code type} label of a stored job's type (see {@link TypeLabels}). */
  String typeLabel(String type) {
    return types == null ? type : types.of(type);
  }

  JobMeters meters(String lane, String type) {
    LaneMeters l = lanes.get(lane);
    if (l == null) {
      l = lanes.get(OTHER);
    }
    return l.forType(type);
  }

  private void recordRun(JobMeters m, Job job, Instant end) {
    if (job.startedAt() != null) {
      record(m.run, job.startedAt(), end);
    }
  }

  private static Instant end(Job job, Instant at) {
    return job.finishedAt() != null ? job.finishedAt() : at;
  }

  private static void record(Timer timer, Instant from, Instant to) {
    long nanos = (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
    timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private static Duration[] seconds(double... values) {
    var out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  /** The meters of one lane, by type label. */
  private final class LaneMeters {
    private final String lane;
    private final ConcurrentHashMap<String, JobMeters> byType = new ConcurrentHashMap<>();

    LaneMeters(String lane) {
      this.lane = lane;
    }

    JobMeters forType(String type) {
      JobMeters m = byType.get(type);
      if (m != null) {
        return m;
      }
      String label = types.of(type);
      // keyed by label: a type beyond the cap shares the "other" meters and never grows the map
      return byType.computeIfAbsent(label, t -> new JobMeters(registry, Tags.of("lane", lane, "type", t)));
    }
  }

  /** Every job meter of one (lane, type) pair, built together. */
  final class JobMeters {
    final Counter enqueued;
    final Counter started;
    final Counter succeeded;
    final Counter failed;
    final Counter retried;
    final Counter dead;
    final Counter cancelled;
    final Timer queueWait;
    final Timer run;
    final Timer latency;

    private JobMeters(MeterRegistry r, Tags tags) {
      enqueued = counter(r, "enqueued", "Jobs accepted (stored) by enqueue", tags);
      started = counter(r, "started", "Attempts started (jobs claimed by a worker)", tags);
      succeeded = counter(r, "succeeded", "Jobs that ended succeeded", tags);
      failed = counter(r, "failed", "Attempts that failed, timed out or lost their lease", tags);
      retried = counter(r, "retried", "Failed attempts scheduled to run again after a back-off", tags);
      dead = counter(r, "dead", "Jobs that ended dead (attempts exhausted or not retryable)", tags);
      cancelled = counter(r, "cancelled", "Jobs that ended cancelled", tags);
      queueWait = timer(r, "vigil.job.queue.wait", "Time from a job being due to an attempt starting", tags);
      run = timer(r, "vigil.job.run", "Time an attempt ran, whatever its outcome", tags);
      latency = timer(r, "vigil.job.latency", "Time from enqueue to success, retries included", tags);
    }

    private Counter counter(MeterRegistry r, String what, String help, Tags tags) {
      return keep(Counter.builder("vigil.jobs." + what).description(help).tags(tags).register(r));
    }

    private Timer timer(MeterRegistry r, String name, String help, Tags tags) {
      return keep(
          Timer.builder(name)
              .description(help)
              .tags(tags)
              .serviceLevelObjectives(JOB_BUCKETS)
              .register(r));
    }
  }
}
