package dev.vigil;

import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobSpan;
import dev.vigil.llm.LlmCallReport;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.job.LeaseLostException;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.Finish;
import dev.vigil.store.HeartbeatResult;
import dev.vigil.store.JobStore;
import dev.vigil.store.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Serves workers in other processes: long-polling claims, heartbeats, completions and failures.
 *
 * <p>Every claim is planned over the whole fleet of remote workers ({@link RemoteFleet}): lanes
 * take turns by weight in busy worker-time across every worker's claims, and a lane takes a slot
 * only if its {@code reserved} slots stay free, across the fleet, on workers that serve the lanes
 * above it; the store enforces lane caps, counting every running job of the lane, and pauses. A
 * claim with nothing to take waits ({@link ClaimWaiters}), woken when the store commits ready work
 * in a lane it serves; it asks whether its worker is still there every {@link
 * Dispatcher#SAFETY_POLL} and looks for work again at least every {@link #LOOK_AGAIN}. A claim whose worker has gone leases nothing, and jobs
 * whose answer never reached their worker are given back ({@link #unclaim}) without spending an
 * attempt. How many claims may wait, and the longest lease, are bounded ({@link ClaimLimits}).
 */
final class RemoteWorkers {
  private final EngineConfig config;
  private final JobStore store;
  private final ClaimGates gates;
  private final Completions completions;
  private final JobEvents events;
  private final LanePauses pauses;
  private final RemoteFleet fleet;
  private final PhaseMeters phases;
  private final LlmRecorder llm;
  /**
   * How often a waiting claim looks for work unwoken: the fleet may have changed (a reserved slot
   * freed), or a wake-up of another node been lost. Its worker's connection is asked every second.
   */
  static final Duration LOOK_AGAIN = Duration.ofSeconds(5);

  private final ClaimWaiters waiters;
  private volatile boolean closed;

  /** @param gates what each claim asks about the jobs it leases (limits, breakers) */
  RemoteWorkers(
      EngineConfig config,
      JobStore store,
      ClaimGates gates,
      Completions completions,
      JobEvents events,
      LanePauses pauses,
      PhaseMeters phases,
      LlmRecorder llm) {
    this.phases = phases;
    this.llm = llm;
    this.config = config;
    this.store = store;
    this.gates = gates;
    this.completions = completions;
    this.events = events;
    this.pauses = pauses;
    this.fleet = new RemoteFleet(config, pauses);
    this.waiters = new ClaimWaiters(config.lanes().size(), config.claimLimits());
  }

  /** Work may be ready in a lane: wakes the waiting claims that serve it. */
  void wake(String lane) {
    int i = config.laneIndex(lane);
    if (i >= 0) {
      waiters.wake(i);
    }
  }

  /** Something changed for every lane (a resume): wakes every waiting claim. */
  void wakeAll() {
    waiters.wakeAll();
  }

  /** Stops serving claims and wakes those waiting, which return empty. */
  void close() {
    closed = true;
    waiters.wakeAll();
  }

  /** Number of claims waiting for work right now. */
  int waiting() {
    return waiters.size();
  }

  /**
   * Claims for a worker, waiting up to the claim's wait for work. The wait ends early, with
   * nothing leased, when {@code connected} says the worker has gone (it is asked before every look
   * at the store, and at least once a second while waiting) or the engine stops.
   *
   * @throws TooManyClaimsException when this claim would wait beyond the {@link ClaimLimits}
   */
  List<Job> claim(WorkerClaim claim, BooleanSupplier connected) throws InterruptedException {
    boolean[] served = validate(claim);
    boolean gone = false;
    if (claim.waitFor().isZero()) {
      fleet.joined(claim, RemoteFleet.topLane(served));
      try {
        gone = !connected.getAsBoolean();
        return gone ? List.of() : claimOnce(claim, served);
      } finally {
        fleet.left(claim.workerId(), gone);
      }
    }
    long deadline = System.nanoTime() + claim.waitFor().toNanos();
    ClaimWaiters.Waiter waiter = waiters.register(claim.workerId(), served);
    fleet.joined(claim, RemoteFleet.topLane(served));
    try {
      long nextLook = System.nanoTime();
      while (!closed) {
        if (!connected.getAsBoolean()) {
          gone = true;
          break;
        }
        long now = System.nanoTime();
        if (waiter.woken() || now - nextLook >= 0) {
          waiter.clear();
          nextLook = now + LOOK_AGAIN.toNanos();
          List<Job> jobs = claimOnce(claim, served);
          if (!jobs.isEmpty()) {
            return jobs;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        waiter.await(Math.min(left, Dispatcher.SAFETY_POLL.toNanos()));
      }
      return List.of();
    } finally {
      fleet.left(claim.workerId(), gone);
      waiters.remove(waiter);
    }
  }

  /**
   * Gives back jobs leased to a claim whose answer never reached its worker: ready again, no
   * attempt spent (or cancelled, if that was asked meanwhile).
   */
  void unclaim(List<Job> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    Map<String, JobState> after = store.unclaim(jobs.stream().map(Lease::of).toList(), config.clock().instant());
    for (Job job : jobs) {
      fleet.lost(job.id());
      JobState now = after.get(job.id());
      if (now != null) {
        events.transition(job.toBuilder().state(now).build(), JobState.RUNNING);
      }
    }
  }

  HeartbeatResult heartbeat(String id, String token, Double progress, String message, Duration lease) {
    if (lease != null && !leaseAllowed(lease)) {
      throw new InvalidRequestException(List.of(leaseError()));
    }
    Instant now = config.clock().instant();
    Duration extend = lease != null ? lease : config.leaseDuration();
    try {
      HeartbeatResult renewed = store.heartbeat(id, token, now.plus(extend), progress, config.redact(message));
      fleet.renewed(id, renewed.leaseExpiresAt());
      return renewed;
    } catch (LeaseLostException e) {
      fleet.lost(id);
      throw e;
    }
  }

  Job complete(String id, String token, String resultJson, List<JobSpan> spans, List<LlmCallReport> usage) {
    Job job = running(id, token);
    return report(job, completions.success(job, resultJson), spans, usage);
  }

  Job fail(
      String id, String token, JobError error, boolean retryable, List<JobSpan> spans, List<LlmCallReport> usage) {
    Job job = running(id, token);
    if (job.cancelRequested()) {
      return report(job, completions.cancellation(job), spans, usage);
    }
    return report(job, completions.failure(job, AttemptOutcome.FAILED, error, retryable), spans, usage);
  }

  /** Slots of the remote workers seen within their lease period. */
  int fleetSlots() {
    return fleet.slots();
  }

  /**
   * Writes a worker's report with the spans it timed (bounded, attribute values redacted) and the
   * model calls it made (priced, with energy and carbon; at most {@value
   * AttemptCalls#MAX_PER_ATTEMPT}), then logs the attempt's end and records its phases.
   */
  private Job report(Job running, Finish finish, List<JobSpan> spans, List<LlmCallReport> usage) {
    List<JobSpan> kept = redacted(spans);
    Finish f = kept.isEmpty() ? finish : finish.withSpans(kept);
    if (usage != null && !usage.isEmpty()) {
      f = f.withUsage(usage.stream().limit(AttemptCalls.MAX_PER_ATTEMPT).map(r -> llm.reported(running, r)).toList());
    }
    Job after;
    try {
      after = completions.write(f);
    } catch (LeaseLostException e) {
      fleet.lost(running.id());
      throw e;
    }
    fleet.ended(running.id());
    Duration took = running.startedAt() == null ? Duration.ZERO : Duration.between(running.startedAt(), f.now());
    AttemptLog.ended(running, f, took);
    phases.ran(running, took);
    for (JobSpan span : kept) {
      phases.span(running, span.name(), span.duration());
    }
    return after;
  }

  private List<JobSpan> redacted(List<JobSpan> spans) {
    if (spans == null || spans.isEmpty()) {
      return List.of();
    }
    var out = new ArrayList<JobSpan>(Math.min(spans.size(), JobSpan.MAX_PER_ATTEMPT));
    for (JobSpan s : spans.subList(0, Math.min(spans.size(), JobSpan.MAX_PER_ATTEMPT))) {
      if (s.attributes().isEmpty()) {
        out.add(s);
        continue;
      }
      out.add(new JobSpan(s.name(), s.start(), s.duration(), SpanAttributes.redact(s.attributes(), config.redactor())));
    }
    return out;
  }

  private Job running(String id, String token) {
    Job job = store.get(id).orElseThrow(() -> new JobNotFoundException(id));
    if (job.state() != JobState.RUNNING || token == null || !token.equals(job.leaseToken())) {
      fleet.lost(id);
      throw new LeaseLostException(id);
    }
    return job;
  }

  private List<Job> claimOnce(WorkerClaim claim, boolean[] served) {
    var claimed = new ArrayList<Job>();
    boolean[] open = served.clone();
    int capacity = fleet.capacity(claim);
    // Each pass either fills the claim or finds at least one lane short and closes it, so at most
    // one pass per lane (plus the last) is ever needed.
    for (int pass = 0; pass <= open.length && claimed.size() < capacity; pass++) {
      int[] quota = fleet.plan(claim, capacity - claimed.size(), open);
      var quotas = new ArrayList<LaneQuota>();
      for (int i = 0; i < quota.length; i++) {
        if (quota[i] > 0) {
          Lane lane = config.lanes().get(i);
          quotas.add(new LaneQuota(lane.name(), quota[i], lane.maxConcurrency()));
        }
      }
      List<Job> got = List.of();
      try {
        if (!quotas.isEmpty()) {
          got = store.claim(new ClaimRequest(
              claim.workerId(), quotas, claim.types(), claim.lease(), config.clock().instant(), gates.forClaim()));
        }
      } finally {
        fleet.claimed(claim.workerId(), quota, got);
      }
      if (quotas.isEmpty()) {
        break;
      }
      int[] perLane = new int[quota.length];
      for (Job job : got) {
        perLane[config.laneIndex(job.lane())]++;
        events.transition(job, JobState.READY);
        phases.started(job);
      }
      for (int i = 0; i < quota.length; i++) {
        if (quota[i] > perLane[i]) {
          open[i] = false;
        }
      }
      claimed.addAll(got);
    }
    return claimed;
  }

  private boolean[] validate(WorkerClaim c) {
    var errors = new ArrayList<FieldError>();
    if (c.workerId() == null || !WorkerClaim.WORKER_ID.matcher(c.workerId()).matches()) {
      errors.add(
          new FieldError("worker_id", "is required: 1 to 128 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or digit"));
    }
    if (c.max() < 1 || c.max() > WorkerClaim.MAX_JOBS) {
      errors.add(new FieldError("max", "must be between 1 and " + WorkerClaim.MAX_JOBS));
    }
    if (c.slots() < 1 || c.slots() > WorkerClaim.MAX_SLOTS) {
      errors.add(new FieldError("slots", "must be between 1 and " + WorkerClaim.MAX_SLOTS));
    }
    if (c.waitFor() == null || c.waitFor().isNegative() || c.waitFor().compareTo(WorkerClaim.MAX_WAIT) > 0) {
      errors.add(new FieldError("wait_ms", "must be between 0 and " + WorkerClaim.MAX_WAIT.toMillis()));
    }
    if (c.lease() == null || !leaseAllowed(c.lease())) {
      errors.add(leaseError());
    }
    boolean[] served = new boolean[config.lanes().size()];
    if (c.lanes().isEmpty()) {
      java.util.Arrays.fill(served, true);
    }
    for (String lane : c.lanes()) {
      int i = config.laneIndex(lane);
      if (i < 0) {
        errors.add(new FieldError("lanes", "unknown lane '" + lane + "'"));
      } else {
        served[i] = true;
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return served;
  }

  private boolean leaseAllowed(Duration lease) {
    return lease.toMillis() >= 1_000 && lease.compareTo(config.claimLimits().maxLease()) <= 0;
  }

  private FieldError leaseError() {
    return new FieldError("lease_ms", "must be between 1000 and " + config.claimLimits().maxLease().toMillis());
  }
}
