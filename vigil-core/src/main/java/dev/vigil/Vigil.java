package dev.vigil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vigil.job.BackpressureEvent;
import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobHandler;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.limits.BreakerEvent;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.BreakerStatus;
import dev.vigil.limits.KeyLimits;
import dev.vigil.limits.LimitRule;
import dev.vigil.carbon.CarbonSettings;
import dev.vigil.carbon.LlmEnergyEstimator;
import dev.vigil.llm.JobUsage;
import dev.vigil.llm.LlmCallReport;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.PriceTable;
import dev.vigil.limits.LimitStatus;
import dev.vigil.job.LaneStatus;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.Schedule;
import dev.vigil.job.Schedule.CronSyntax;
import dev.vigil.job.WorkerClaim;
import dev.vigil.job.LeaseLostException;
import dev.vigil.store.HeartbeatResult;
import dev.vigil.store.JobStore;
import dev.vigil.store.LaneDepth;
import dev.vigil.store.Lease;
import dev.vigil.store.NewJob;
import dev.vigil.store.NodeRecord;
import dev.vigil.store.ScheduleUpsert;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Vigil engine: durable, prioritised background jobs on a {@link JobStore}.
 *
 * <pre>{@code
 * try (Vigil vigil = Vigil.builder()
 *     .store(SqliteJobStore.open(Path.of("vigil-data/vigil.db")))
 *     .handler("generate_reply", ctx -> ctx.result(llm.reply(ctx.payload())))
 *     .start()) {
 *   vigil.enqueue(JobRequest.builder("generate_reply").lane("cognition").payload(post).build());
 * }
 * }</pre>
 *
 * <p>Every accepted job is committed before {@code enqueue} returns and then runs to a terminal
 * state: in priority order across lanes, retried with back-off when it fails, rescued when its
 * worker dies, at least once. An enqueue may be refused instead, with {@link
 * JobRejectedException}, when its lane is at its {@code max_ready} or sheds load ({@code
 * docs/load.md}). The engine owns the store it is given and closes it in {@link #close()}. All
 * methods are thread-safe.
 */
public final class Vigil implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Vigil.class);

  /**
   * How stale the queue-depth gauges may be. The backpressure duty reads the depths once a second
   * and the gauges share its answer; a scrape reads the store itself only when that answer is
   * older than this (as with a {@link ManualClock} that does not move).
   */
  static final Duration DEPTH_MAX_AGE = Duration.ofSeconds(5);

  private final EngineConfig config;
  private final JobStore store;
  private final EventBus<JobEvent> bus;
  private final EventBus<BackpressureEvent> pressureBus;
  private final EventBus<BreakerEvent> breakerBus;
  private final Breakers breakers;
  private final Admission admission;
  private final BackpressureMonitor load;
  private final JobEvents events;
  private final JobFactory factory;
  private final LanePauses pauses;
  private final Dispatcher dispatcher;
  private final Workers workers;
  private final ScheduleRunner schedules;
  private final Housekeeper housekeeper;
  private final UsageRetention usageRetention;
  private final RemoteWorkers remote;
  private final CompletionBatcher batcher;
  private final JobStore givenStore;
  private final EngineMetrics metrics;
  private final EngineGauges.Sources gauges;
  private final PriceTable prices;
  private volatile boolean closed;

  /**
   * @param store the store the engine talks to: {@code givenStore}, or a timing decorator of it
   *     when metrics are on
   */
  private Vigil(
      EngineConfig config,
      JobStore store,
      JobStore givenStore,
      EngineMetrics metrics,
      PriceTable prices,
      LlmEnergyEstimator energy,
      Duration usageRetention) {
    this.prices = prices;
    this.usageRetention = new UsageRetention(givenStore.usage(), usageRetention);
    this.config = config;
    this.store = store;
    this.givenStore = givenStore;
    this.metrics = metrics;
    this.bus = new EventBus<>(10_000);
    this.pressureBus = new EventBus<>(1_000);
    this.breakerBus = new EventBus<>(1_000);
    LaneDrain drain = new LaneDrain(config.lanes());
    this.events = new JobEvents(bus, config.clock(), metrics, drain);
    this.factory = new JobFactory(config, new Ids(config.clock()));
    this.pauses = new LanePauses(config.lanes(), store);
    LaneDepthCache depths = new LaneDepthCache(store, DEPTH_MAX_AGE, System::nanoTime);
    this.admission = new Admission(config.lanes(), metrics);
    this.load = new BackpressureMonitor(config.lanes(), depths, pauses, drain, admission, metrics, pressureBus::publish);
    this.breakers = new Breakers(
        config.breakers(), exactKeys(config.keyLimits()), store, config.clock(), new BreakerMeters(metrics),
        breakerBus::publish);
    ClaimGates gates = new ClaimGates(config.keyLimits(), breakers);
    var completions = new Completions(config, store, events, ThreadLocalRandom.current(), breakers);
    this.batcher = new CompletionBatcher(store, events, 2 * config.workers(), this::laneRoomFreed);
    PhaseMeters phases =
        metrics.enabled()
            ? new PhaseMeters(metrics.registry(), metrics::laneLabel, metrics::typeLabel, metrics::keep)
            : PhaseMeters.DISABLED;
    LlmRecorder llm = new LlmRecorder(config.clock(), prices, energy, llmMeters(metrics));
    this.workers =
        new Workers(config, store, completions, batcher, this::enqueueChild, this::slotFreed, phases, llm);
    this.dispatcher =
        new Dispatcher(
            config,
            store,
            gates,
            pauses,
            config.handlers().keySet(),
            events,
            workers::start,
            jobs -> store.unclaim(jobs.stream().map(Lease::of).toList(), config.clock().instant()),
            config.prefetch());
    this.remote = new RemoteWorkers(config, store, gates, completions, events, pauses, phases, llm);
    this.schedules = new ScheduleRunner(config, store, factory, events);
    this.housekeeper =
        new Housekeeper(
            config, store, workers, dispatcher, completions, schedules, pauses, events, this::lanesChanged,
            this::everySecond);
    this.gauges =
        new EngineGauges.Sources(
            config.lanes(),
            config.workers(),
            this::runningHere,
            remote::waiting,
            bus::dropped,
            depths,
            config.clock(),
            load::level);
    EngineGauges.register(metrics, gauges);
  }

  private static LlmMeters llmMeters(EngineMetrics metrics) {
    return metrics.enabled()
        ? new LlmMeters(metrics.registry(), metrics::laneLabel, metrics::typeLabel, metrics::keep)
        : LlmMeters.DISABLED;
  }

  /** A builder with the defaults: the four default lanes, 16 workers, no handlers. */
  public static Builder builder() {
    return new Builder();
  }

  private Vigil begin() {
    store.addReadyListener(
        lane -> {
          dispatcher.onReady(lane);
          remote.wake(lane);
        });
    load.measure(config.clock().instant());
    dispatcher.start();
    housekeeper.start();
    log.info(
        "vigil started: worker {} with {} slots, lanes {}, handlers for {}",
        config.workerId(),
        config.workers(),
        config.lanes().stream().map(Lane::name).toList(),
        config.handlers().keySet());
    return this;
  }

  // ---- jobs

  /**
   * Enqueues one job; returns once it is durably stored. When its unique key matches a job still
   * scheduled, ready or running, nothing is created and that job is returned, flagged {@link
   * Job#duplicate()}.
   *
   * @throws InvalidRequestException naming every invalid field; nothing is stored
   * @throws JobRejectedException when the job's lane refuses new jobs to protect the engine (at
   *     its {@code max_ready}, shedding or overloaded); nothing is stored
   */
  public Job enqueue(JobRequest request) {
    return enqueueAll(List.of(request)).get(0);
  }

  /**
   * Enqueues jobs atomically: all valid, admitted and stored, or none.
   *
   * @throws InvalidRequestException naming every invalid field as {@code jobs[i].field}
   * @throws JobRejectedException when a lane of any of the jobs refuses new jobs; the whole batch
   *     is refused and nothing is stored
   */
  public List<Job> enqueueAll(List<JobRequest> requests) {
    ensureOpen();
    List<NewJob> jobs;
    try {
      jobs = requests.size() == 1 ? List.of(factory.create(requests.get(0))) : factory.createAll(requests);
    } catch (InvalidRequestException e) {
      metrics.rejected(requests, e);
      throw e;
    }
    Admission.Ticket admitted = admission.admit(jobs);
    List<Job> stored;
    try {
      stored = events.create(jobs.stream().map(NewJob::id).toList(), () -> store.enqueue(jobs));
    } catch (RuntimeException e) {
      admitted.abandoned();
      throw e;
    }
    admitted.stored(stored);
    for (Job job : stored) {
      if (job.duplicate()) {
        metrics.rejected(job.lane(), job.type(), EngineMetrics.Rejection.DUPLICATE, 1);
      }
    }
    return stored;
  }

  /** The job with its attempts, or empty. */
  public Optional<Job> get(String id) {
    return store.get(id);
  }

  /** A page of jobs, newest first. */
  public JobPage find(JobQuery query) {
    return store.find(query);
  }

  /**
   * Cancels a job: a scheduled or ready job ends {@code cancelled} at once; a running job's
   * handler sees {@link dev.vigil.job.JobContext#isCancelled()} and is interrupted, and the job
   * ends {@code cancelled} when the handler stops (or at its deadline, if it never does).
   *
   * @return the job after the request ({@code cancelRequested} set when it is still running)
   * @throws JobNotFoundException if there is no such job
   * @throws IllegalTransitionException if the job already ended
   */
  public Job cancel(String id) {
    ensureOpen();
    Job before = store.get(id).orElseThrow(() -> new JobNotFoundException(id));
    Job after = store.cancel(id, config.clock().instant());
    events.transition(after, before.state());
    if (after.state() == JobState.RUNNING && !dispatcher.cancelPrefetched(id)) {
      workers.cancel(id);
    }
    return after;
  }

  /**
   * Sends a {@code dead} or {@code cancelled} job back to {@code ready}, keeping its attempts.
   *
   * @throws JobNotFoundException if there is no such job
   * @throws IllegalTransitionException in any other state
   */
  public Job retry(String id) {
    ensureOpen();
    Job before = store.get(id).orElseThrow(() -> new JobNotFoundException(id));
    Job after = store.retry(id, config.clock().instant());
    events.transition(after, before.state());
    return after;
  }

  // ---- schedules

  /**
   * Creates or replaces a recurring job. The cron syntax is read from the number of fields: five
   * for Unix, six or seven (seconds first) for Quartz.
   *
   * @throws InvalidRequestException for a bad name, cron expression or job
   */
  public ScheduleUpsert schedule(String name, String cron, ZoneId zone, JobRequest job) {
    return schedule(name, cron, null, zone, job);
  }

  /** As {@link #schedule(String, String, ZoneId, JobRequest)}, with the cron syntax given. */
  public ScheduleUpsert schedule(String name, String cron, CronSyntax syntax, ZoneId zone, JobRequest job) {
    ensureOpen();
    return schedules.upsert(name, cron, syntax, zone, job);
  }

  /** Deletes a schedule; true when one was deleted. Jobs it already fired are not touched. */
  public boolean unschedule(String name) {
    return store.deleteSchedule(name);
  }

  public Optional<Schedule> schedule(String name) {
    return store.getSchedule(name);
  }

  public List<Schedule> schedules() {
    return store.listSchedules();
  }

  // ---- lanes

  /**
   * Pauses a lane: it keeps accepting jobs but starts none, on every node sharing the store.
   *
   * @throws NotFoundException if no lane has that name
   */
  public void pause(String lane) {
    pauses.set(laneIndex(lane), true);
  }

  /**
   * Resumes a paused lane.
   *
   * @throws NotFoundException if no lane has that name
   */
  public void resume(String lane) {
    pauses.set(laneIndex(lane), false);
    lanesChanged();
  }

  /** Every configured lane with its current depth and backpressure, in priority order. */
  public List<LaneStatus> lanes() {
    Map<String, LaneDepth> depths = new HashMap<>();
    store.laneDepths().forEach(d -> depths.put(d.lane(), d));
    Instant now = config.clock().instant();
    var out = new ArrayList<LaneStatus>();
    for (int i = 0; i < config.lanes().size(); i++) {
      Lane lane = config.lanes().get(i).withPaused(pauses.isPaused(i));
      LaneDepth d = depths.getOrDefault(lane.name(), new LaneDepth(lane.name(), 0, 0, 0, null));
      Duration age =
          d.oldestReadyRunAt() == null ? null : maxZero(Duration.between(d.oldestReadyRunAt(), now));
      out.add(new LaneStatus(lane, d.scheduled(), d.ready(), d.running(), age, load.backpressure(i)));
    }
    return out;
  }

  /**
   * Each key with a limit that this node has seen (on a shared store: that any node drew from
   * lately) or that the configuration names exactly, and each key with running or held jobs: its
   * limits, what is left of them (on a shared store, the cluster's quota; else this node's), and
   * its running and held jobs (the store's, so cluster-wide). Empty without limits.
   */
  public List<LimitStatus> limits() {
    KeyLimits limits = config.keyLimits();
    if (limits == null) {
      return List.of();
    }
    Map<String, long[]> counts = store.keyCounts();
    Map<String, LimitStatus> out = new java.util.TreeMap<>();
    for (KeyLimits.KeyStatus k : limits.status()) {
      long[] n = counts.getOrDefault(k.key(), new long[2]);
      LimitRule r = k.rule();
      out.put(k.key(), new LimitStatus(k.key(), r.rate(), r.window(), r.units(), r.concurrency(),
          k.startsAvailable(), k.unitsAvailable(), n[0], n[1]));
    }
    counts.forEach((key, n) -> {
      if (!out.containsKey(key)) {
        LimitRule r = limits.ruleFor(key).orElse(null);
        out.put(key, new LimitStatus(key, r == null ? null : r.rate(), r == null ? null : r.window(),
            r == null ? null : r.units(), r == null ? null : r.concurrency(), null, null, n[0], n[1]));
      }
    });
    return List.copyOf(out.values());
  }

  /**
   * This node's circuit breakers: one per job type ({@code type:<type>}) and per limit key that
   * the limits name exactly, from the first attempt that ended; open ones hold their jobs. Empty
   * when breakers are off. See {@code docs/breakers.md}.
   */
  public List<BreakerStatus> breakers() {
    return breakers.status();
  }

  /** How many jobs are in each state, every state present. */
  public Map<JobState, Long> counts() {
    Map<JobState, Long> stored = store.countByState();
    var out = new LinkedHashMap<JobState, Long>();
    for (JobState s : JobState.values()) {
      out.put(s, stored.getOrDefault(s, 0L));
    }
    return out;
  }

  // ---- remote workers

  /**
   * Leases jobs to a worker in another process, waiting up to {@code claim.waitFor()} for work to
   * arrive (woken at once by an enqueue; a waiting claim parks a virtual thread and holds no
   * platform thread). Lane shares, reserved slots, caps and pauses apply as they do to this node's
   * own slots. Returns an empty list when the wait passes with nothing to take, or on shutdown.
   *
   * @throws InvalidRequestException for a bad worker id, lane, {@code max}, {@code slots}, wait
   *     or lease
   * @throws TooManyClaimsException when this claim would wait beyond the limits on waiting claims
   */
  public List<Job> claim(WorkerClaim claim) throws InterruptedException {
    return claim(claim, () -> true);
  }

  /**
   * As {@link #claim(WorkerClaim)}, for a worker that may go away while its claim waits (a
   * closed HTTP connection): {@code workerConnected} is asked before every look for work and at
   * least once a second while waiting, and once it answers false the claim ends at once with
   * nothing leased. Pair it with {@link #unclaim} for jobs whose answer could not be delivered.
   */
  public List<Job> claim(WorkerClaim claim, BooleanSupplier workerConnected) throws InterruptedException {
    if (closed) {
      return List.of();
    }
    return remote.claim(claim, workerConnected);
  }

  /**
   * Gives back jobs that a claim leased but whose worker never received them (the answer could
   * not be delivered): each becomes {@code ready} again at its place in the queue with no attempt
   * spent, or {@code cancelled} if its cancellation was asked meanwhile. Jobs whose lease changed
   * since are left alone.
   */
  public void unclaim(List<Job> claimed) {
    remote.unclaim(claimed);
  }

  /**
   * Renews a remote worker's lease (by {@code lease}, or the engine's lease duration when null)
   * and records progress; the answer says whether the job was cancelled meanwhile.
   *
   * @throws LeaseLostException if the token is not the job's current lease
   * @throws JobNotFoundException if there is no such job
   */
  public HeartbeatResult heartbeat(String jobId, String leaseToken, Double progress, String message, Duration lease) {
    return remote.heartbeat(jobId, leaseToken, progress, message, lease);
  }

  /**
   * Records a remote worker's success.
   *
   * @throws LeaseLostException if the token is not the job's current lease; nothing changes
   * @throws JobNotFoundException if there is no such job
   */
  public Job complete(String jobId, String leaseToken, String resultJson) {
    return complete(jobId, leaseToken, resultJson, List.of());
  }

  /**
   * Records a remote worker's success with the spans it timed, stored with the attempt (at most
   * {@value JobSpan#MAX_PER_ATTEMPT}; attribute values redacted).
   *
   * @throws LeaseLostException if the token is not the job's current lease; nothing changes
   * @throws JobNotFoundException if there is no such job
   */
  public Job complete(String jobId, String leaseToken, String resultJson, List<JobSpan> spans) {
    return complete(jobId, leaseToken, resultJson, spans, List.of());
  }

  /**
   * As {@link #complete(String, String, String, List)}, with the model calls the worker made:
   * each priced by the price table (unless it carries its cost), with its energy and carbon
   * estimated, and stored with the attempt in the same write (at most 1,000).
   */
  public Job complete(
      String jobId, String leaseToken, String resultJson, List<JobSpan> spans, List<LlmCallReport> usage) {
    Job job = remote.complete(jobId, leaseToken, resultJson, spans, usage);
    laneRoomFreed(job.lane());
    return job;
  }

  /**
   * Records a remote worker's failure: retried by the job type's policy when {@code retryable}
   * and attempts remain, otherwise dead (cancelled, if a cancellation was requested).
   *
   * @throws LeaseLostException if the token is not the job's current lease; nothing changes
   * @throws JobNotFoundException if there is no such job
   */
  public Job fail(String jobId, String leaseToken, JobError error, boolean retryable) {
    return fail(jobId, leaseToken, error, retryable, List.of());
  }

  /**
   * As {@link #fail(String, String, JobError, boolean)}, with the spans the worker timed. The
   * error's message and stack are redacted before they are stored.
   */
  public Job fail(String jobId, String leaseToken, JobError error, boolean retryable, List<JobSpan> spans) {
    return fail(jobId, leaseToken, error, retryable, spans, List.of());
  }

  /**
   * As {@link #fail(String, String, JobError, boolean, List)}, with the model calls the worker
   * made, recorded as {@link #complete(String, String, String, List, List)} records them.
   */
  public Job fail(
      String jobId,
      String leaseToken,
      JobError error,
      boolean retryable,
      List<JobSpan> spans,
      List<LlmCallReport> usage) {
    Job job = remote.fail(jobId, leaseToken, error, retryable, spans, usage);
    laneRoomFreed(job.lane());
    return job;
  }

  /** The longest lease a remote worker's claim or heartbeat may ask for. */
  public Duration maxClaimLease() {
    return config.claimLimits().maxLease();
  }

  /** Remote claims waiting for work right now. */
  public int waitingClaims() {
    return remote.waiting();
  }

  /**
   * Slots declared by the remote workers seen within their lease period: the fleet over which
   * lane weights and reserved slots hold for remote claims.
   */
  public int fleetSlots() {
    return remote.fleetSlots();
  }

  // ---- events and operations

  /**
   * Subscribes to every job state change. Delivery is asynchronous on a virtual thread; a
   * subscriber that falls more than 10,000 events behind loses the excess (counted by {@link
   * Subscription#dropped()}) rather than slowing the engine.
   */
  public Subscription subscribe(Consumer<JobEvent> subscriber) {
    return bus.subscribe(subscriber);
  }

  /**
   * Subscribes to changes of the lanes' backpressure levels (measured about once a second on each
   * node, with hysteresis; see {@code docs/load.md}). Delivery is asynchronous, as for {@link
   * #subscribe}.
   */
  public Subscription subscribeBackpressure(Consumer<BackpressureEvent> subscriber) {
    return pressureBus.subscribe(subscriber);
  }

  /**
   * Subscribes to the changes of this node's circuit breakers (opened, half-open, closed).
   * Delivery is asynchronous, as for {@link #subscribe}.
   */
  public Subscription subscribeBreakers(Consumer<BreakerEvent> subscriber) {
    return breakerBus.subscribe(subscriber);
  }

  /** Events dropped by all subscribers since start. */
  public long droppedEvents() {
    return bus.dropped();
  }

  /**
   * Runs every time-driven duty now instead of at its next turn: deadlines, lease renewals,
   * promotion of due jobs, lease rescue, recurring schedules, the lanes' backpressure, holds that
   * ended and circuit breakers whose cool-down passed. For tests that move a {@link ManualClock}.
   */
  public void runDueNow() {
    housekeeper.runAllNow();
  }

  /**
   * The LLM price table of this engine ({@link Builder#prices}); rows put into it price calls
   * recorded from then on, never calls already recorded.
   */
  public PriceTable prices() {
    return prices;
  }

  /**
   * The model calls recorded for a job ({@link dev.vigil.job.JobContext#llm}), oldest attempt
   * first; empty when it made none or the store does not record usage.
   */
  public List<LlmUsage> llmUsage(String jobId) {
    return store.llmUsage(jobId);
  }

  /** A job's usage summed over its attempts ({@link JobUsage#of}); null when it made no calls. */
  public JobUsage usage(Job job) {
    return JobUsage.of(job, store.llmUsage(job.id()));
  }

  /** The clock of every timestamp and deadline of this engine ({@link Builder#clock}). */
  public InstantSource clock() {
    return config.clock();
  }

  /** This node's worker id, recorded as the lease owner of the jobs it runs. */
  public String workerId() {
    return config.workerId();
  }

  /** Every node that shares this engine's store, as last heartbeated (this one included). */
  public List<NodeRecord> nodes() {
    return store.nodes();
  }

  /**
   * Whether this node currently leads: the leader alone rescues expired leases and fires
   * recurring schedules. A single node always leads.
   */
  public boolean isLeader() {
    return housekeeper.isLeader();
  }

  /** The store this engine runs on, as it was given to the builder. */
  public JobStore store() {
    return givenStore;
  }

  /**
   * When this node's dispatcher loop last turned; empty when no loop runs here (no in-process
   * handlers, or the engine is closing). A live loop turns at least once a second, even when idle,
   * so a heartbeat much older than that means the loop is stalled (a hung store call, a
   * deadlock). Times are the engine clock's.
   */
  public Optional<Instant> dispatcherHeartbeat() {
    long millis = dispatcher.lastTurnMillis();
    return millis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  /** Jobs this node claimed ahead of free slots and has not started yet. */
  int prefetched() {
    return dispatcher.prefetched();
  }

  /**
   * Stops the engine: no new job is claimed, running jobs get the shutdown grace period to
   * finish, the leases of those still running are given back so another node (or the next start)
   * runs them, and the store is closed. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    remote.close();
    dispatcher.stop();
    if (!workers.awaitIdle(config.shutdownGrace())) {
      log.info("shutdown grace passed; giving back {} running jobs", workers.executions().size());
      workers.releaseAll("node shut down before the job ended");
    }
    batcher.close();
    housekeeper.close();
    bus.close();
    pressureBus.close();
    breakerBus.close();
    store.close();
    metrics.close();
    log.info("vigil stopped");
  }

  // ---- internals

  private Job enqueueChild(Execution parent, JobRequest request) {
    JobRequest.Builder child = request.toBuilder().parentId(parent.jobId());
    if (request.correlationId() == null) {
      child.correlationId(parent.correlationId());
    }
    return enqueue(child.build());
  }

  /** The duties the housekeeper runs once a clock second, after it reread the pauses. */
  private void everySecond(Instant now) {
    load.measure(now);
    breakers.tick(now);
    if (housekeeper.isLeader()) {
      usageRetention.run(now);
    }
  }

  /** The limit keys the limits name exactly (no prefix): those that get a circuit breaker. */
  private static Set<String> exactKeys(KeyLimits limits) {
    if (limits == null) {
      return Set.of();
    }
    return limits.rules().stream().filter(r -> !r.isPrefix()).map(LimitRule::key).collect(Collectors.toSet());
  }

  /** Jobs of a lane ended: a lane at its concurrency cap may take work again. */
  private void laneRoomFreed(String lane) {
    config.lane(lane).filter(l -> l.maxConcurrency() != Lane.UNLIMITED).ifPresent(l -> {
      dispatcher.onReady(lane);
      remote.wake(lane);
    });
  }

  private void lanesChanged() {
    dispatcher.wakeAll();
    remote.wakeAll();
  }

  /** Jobs of a lane running in this node's slots now. */
  private int runningHere(int lane) {
    int n = 0;
    for (Execution e : workers.executions()) {
      if (e.laneIndex() == lane) {
        n++;
      }
    }
    return n;
  }

  private void slotFreed(Duration ran, int lane) {
    dispatcher.slotFreed(lane, ran);
  }

  private int laneIndex(String lane) {
    int i = config.laneIndex(lane);
    if (i < 0) {
      throw new NotFoundException("lane", lane);
    }
    return i;
  }

  private void ensureOpen() {
    if (closed) {
      throw new VigilException("vigil is closed");
    }
  }

  private static Duration maxZero(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * Configures and starts a {@link Vigil}. Only the store is required. Configuration is fixed
   * once {@link #start()} returns.
   */
  public static final class Builder {
    private JobStore store;
    private final LinkedHashMap<String, Lane> lanes = new LinkedHashMap<>();
    private int workers = 16;
    private final Map<String, JobHandler> handlers = new HashMap<>();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private final Map<String, RetryPolicy> retryByType = new HashMap<>();
    private Duration timeout = Duration.ofSeconds(15);
    private final Map<String, Duration> timeoutByType = new HashMap<>();
    private Duration lease = Duration.ofSeconds(30);
    private Duration grace = Duration.ofSeconds(30);
    private int maxPayloadBytes = 1 << 20;
    private InstantSource clock = InstantSource.system();
    private String workerId;
    private ObjectMapper mapper;
    private Duration maintenanceInterval = Duration.ofMillis(100);
    private UnaryOperator<String> redactor;
    private MeterRegistry meterRegistry;
    private int prefetch = -1;
    private Duration maxClaimLease = ClaimLimits.DEFAULTS.maxLease();
    private int maxWaitingClaims = ClaimLimits.DEFAULTS.maxWaiting();
    private int maxWaitingClaimsPerWorker = ClaimLimits.DEFAULTS.maxWaitingPerWorker();
    private List<LimitRule> limits = List.of();
    private BreakerSettings breakers = BreakerSettings.DEFAULTS;
    private PriceTable prices;
    private CarbonSettings carbon;
    private Duration usageRetention = UsageRetention.DEFAULT;

    private Builder() {
      Lane.DEFAULTS.forEach(l -> lanes.put(l.name(), l));
    }

    /** The store to run on (required); the engine closes it on {@link Vigil#close()}. */
    public Builder store(JobStore v) {
      store = v;
      return this;
    }

    /** Replaces all lanes with these, in priority order (highest first). */
    public Builder lanes(List<Lane> v) {
      lanes.clear();
      v.forEach(this::lane);
      return this;
    }

    /** Adds a lane, or replaces the lane of the same name in place. */
    public Builder lane(Lane v) {
      lanes.put(v.name(), v);
      return this;
    }

    /**
     * Jobs this node may claim ahead of free worker slots, all lanes together; default four per
     * worker slot, 0 to claim only for free slots. Prefetching saves store round trips when jobs
     * are short: a lane is prefetched for only as many jobs as it ended in the last 100 ms, and a
     * prefetched job starts only when the lane scheduler gives its lane a slot, so priorities,
     * reserved slots and caps are kept.
     */
    public Builder prefetch(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("prefetch must not be negative");
      }
      prefetch = v;
      return this;
    }

    /** Worker slots on this node (virtual threads); default 16. */
    public Builder workers(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("workers must be at least 1");
      }
      workers = v;
      return this;
    }

    /** Runs jobs of {@code type} in this process. Without handlers, jobs wait for remote workers. */
    public Builder handler(String type, JobHandler v) {
      handlers.put(Objects.requireNonNull(type), Objects.requireNonNull(v));
      return this;
    }

    /** The retry policy of every type without its own; default 3 attempts, 30 s to 10 min. */
    public Builder retryPolicy(RetryPolicy v) {
      retry = Objects.requireNonNull(v);
      return this;
    }

    public Builder retryPolicy(String type, RetryPolicy v) {
      retryByType.put(type, Objects.requireNonNull(v));
      return this;
    }

    /** How long one attempt may run, for types without their own; default 15 s. */
    public Builder timeout(Duration v) {
      timeout = positive(v, "timeout");
      return this;
    }

    public Builder timeout(String type, Duration v) {
      timeoutByType.put(type, positive(v, "timeout"));
      return this;
    }

    /**
     * Limits per key ({@code limits:} of the configuration): jobs that carry {@code limit_keys}
     * or a {@code concurrency_key} start only as these allow, and wait held (ready, no attempt
     * spent) until then. Rate and unit quotas live where the store keeps them ({@link
     * JobStore#quotaBuckets}): on PostgreSQL every node draws from the same quota, elsewhere each
     * node keeps its own. Default none: keys limit nothing.
     */
    public Builder limits(List<LimitRule> v) {
      limits = List.copyOf(v);
      return this;
    }

    /**
     * Circuit breakers per job type and per limit key ({@code breakers:} of the configuration):
     * when too many attempts fail with retryable errors, their jobs are held (ready, no attempt
     * spent) until a probe job succeeds. Default {@link BreakerSettings#DEFAULTS};
     * {@link BreakerSettings#DISABLED} switches them off.
     */
    public Builder breakers(BreakerSettings v) {
      breakers = Objects.requireNonNull(v);
      return this;
    }

    /**
     * The longest lease a remote worker's claim or heartbeat may ask for; default 10 min. A
     * longer one is refused, so a worker that vanishes holds a job for at most this long. The
     * engine's own lease ({@link #leaseDuration}) may not be longer.
     */
    public Builder maxClaimLease(Duration v) {
      maxClaimLease = positive(v, "longest claim lease");
      return this;
    }

    /**
     * How many remote claims may wait for work at once on this node, in all and per worker id;
     * defaults 1,000 and 16. A claim beyond either is refused with {@link TooManyClaimsException}.
     */
    public Builder maxWaitingClaims(int total, int perWorker) {
      if (total < 1 || perWorker < 1) {
        throw new IllegalArgumentException("waiting claims must be limited to at least 1");
      }
      maxWaitingClaims = total;
      maxWaitingClaimsPerWorker = perWorker;
      return this;
    }

    /** How long a lease lasts unless renewed; default 30 s. Renewed every third of it. */
    public Builder leaseDuration(Duration v) {
      lease = positive(v, "lease duration");
      return this;
    }

    /** How long {@link Vigil#close()} waits for running jobs; default 30 s. */
    public Builder shutdownGrace(Duration v) {
      grace = Objects.requireNonNull(v);
      return this;
    }

    /** The largest payload accepted, in bytes of JSON; default 1 MiB. */
    public Builder maxPayloadBytes(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("max payload must be at least 1 byte");
      }
      maxPayloadBytes = v;
      return this;
    }

    /** The clock for every timestamp and deadline; a {@link ManualClock} in tests. */
    public Builder clock(InstantSource v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    /** This node's id as lease owner; default host name and process id. */
    public Builder workerId(String v) {
      workerId = v;
      return this;
    }

    /** The Jackson mapper for payloads and results. */
    public Builder objectMapper(ObjectMapper v) {
      mapper = v;
      return this;
    }

    /** How often the housekeeper wakes up; default 100 ms. */
    public Builder maintenanceInterval(Duration v) {
      maintenanceInterval = positive(v, "maintenance interval");
      return this;
    }

    /**
     * Where the engine's meters go ({@code vigil_*}: jobs by lane and type, queue depth, wait, run
     * and end-to-end latency, store call times; listed in {@code docs/metrics.md}). Default none:
     * nothing is recorded and recording costs nothing. The engine removes its meters from the
     * registry when it closes.
     */
    public Builder meterRegistry(MeterRegistry v) {
      meterRegistry = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Rewrites text before the engine stores it where operators read it: error messages and stack
     * traces (of in-process and remote failures alike), progress messages and span attribute
     * values. Default none (text is stored as given). {@code dev.vigil.observe.Redactor} masks
     * e-mail addresses, phone and card numbers, IP addresses, tokens and secrets in JSON.
     */
    public Builder redactor(UnaryOperator<String> v) {
      redactor = Objects.requireNonNull(v);
      return this;
    }

    /**
     * The LLM price table that prices model calls when they are recorded. Default {@link
     * PriceTable#withDefaults()}: the shipped prices, no overrides.
     */
    public Builder prices(PriceTable v) {
      prices = Objects.requireNonNull(v);
      return this;
    }

    /**
     * How long the records of model calls ({@link #llmUsage}) are kept; the leader deletes older
     * ones once an hour. Default 90 days. What the meters counted stays in metric history.
     */
    public Builder usageRetention(Duration v) {
      usageRetention = positive(v, "usage retention");
      return this;
    }

    /**
     * The carbon settings that estimate the energy and carbon of the model calls handlers record
     * ({@link dev.vigil.job.JobContext#llm}): the default model size and the grid's carbon
     * intensity. Default {@link CarbonSettings#defaults()}: the world-average grid.
     */
    public Builder carbon(CarbonSettings v) {
      carbon = Objects.requireNonNull(v);
      return this;
    }

    /** Builds the engine and starts dispatching. */
    public Vigil start() {
      if (store == null) {
        throw new IllegalStateException("a store is required");
      }
      if (lanes.isEmpty()) {
        throw new IllegalStateException("at least one lane is required");
      }
      var config =
          new EngineConfig(
              List.copyOf(lanes.values()),
              workers,
              handlers,
              retry,
              retryByType,
              timeout,
              timeoutByType,
              lease,
              grace,
              maxPayloadBytes,
              clock,
              workerId != null ? workerId : NodeInfo.defaultNodeId(),
              mapper != null ? mapper : JsonMapper.builder().addModule(new JavaTimeModule()).build(),
              maintenanceInterval,
              redactor,
              prefetch,
              claimLimits(),
              limits.isEmpty() ? null : new KeyLimits(limits, clock, store.quotaBuckets(clock)),
              breakers);
      EngineMetrics metrics =
          meterRegistry == null
              ? EngineMetrics.DISABLED
              : new EngineMetrics(meterRegistry, config.lanes(), config.handlers().keySet());
      JobStore engineStore = metrics.enabled() ? new MeteredJobStore(store, metrics) : store;
      CarbonSettings c = carbon != null ? carbon : CarbonSettings.defaults();
      return new Vigil(
              config,
              engineStore,
              store,
              metrics,
              prices != null ? prices : PriceTable.withDefaults(),
              LlmEnergyEstimator.create(c).withGridIntensity(c.gridIntensity()),
              usageRetention)
          .begin();
    }

    private ClaimLimits claimLimits() {
      if (lease.compareTo(maxClaimLease) > 0) {
        throw new IllegalStateException(
            "the lease (" + lease.toMillis() + " ms) is longer than the longest claim lease ("
                + maxClaimLease.toMillis() + " ms)");
      }
      return new ClaimLimits(maxClaimLease, maxWaitingClaims, maxWaitingClaimsPerWorker);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
