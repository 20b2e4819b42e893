package dev.vigil;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobSpan;
import dev.vigil.job.LeaseLostException;
import dev.vigil.job.NonRetryableException;
import dev.vigil.llm.LlmUsage;
import dev.vigil.store.Finish;
import dev.vigil.store.HeartbeatResult;
import dev.vigil.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed jobs in this process, one virtual thread each, and looks after them while they
 * run: renews their leases, enforces their timeouts, relays cancellation, and at shutdown gives
 * back the leases of those still running. Every attempt's outcome is decided by {@link
 * Completions} and written by the {@link CompletionBatcher}; the worker slot is handed back as soon
 * as the outcome is queued (until it is written the store still counts the job as running, so lane
 * caps can only err on the safe side).
 */
final class Workers implements Execution.Host {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);

  private final EngineConfig config;
  private final JobStore store;
  private final Completions completions;
  private final CompletionBatcher batcher;
  private final BiFunction<Execution, JobRequest, Job> childEnqueuer;
  private final ObjIntConsumer<Duration> slotFreed;
  private final PhaseMeters phases;
  private final LlmRecorder llm;
  private final ConcurrentHashMap<String, Execution> running = new ConcurrentHashMap<>();

  /**
   * Cancellations asked for jobs not running here (yet), by when they were asked. Each side puts
   * its own entry before it looks at the other's map ({@link #cancel}, {@link #start}), so a job
   * starting while its cancellation arrives is always cancelled by one of them.
   */
  private final ConcurrentHashMap<String, Instant> cancelsAhead = new ConcurrentHashMap<>();
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition idle = idleLock.newCondition();

  Workers(
      EngineConfig config,
      JobStore store,
      Completions completions,
      CompletionBatcher batcher,
      BiFunction<Execution, JobRequest, Job> childEnqueuer,
      ObjIntConsumer<Duration> slotFreed,
      PhaseMeters phases,
      LlmRecorder llm) {
    this.phases = phases;
    this.llm = llm;
    this.config = config;
    this.store = store;
    this.completions = completions;
    this.batcher = batcher;
    this.childEnqueuer = childEnqueuer;
    this.slotFreed = slotFreed;
  }

  /**
   * Starts a claimed job on a new virtual thread. Its lease is renewed on the lease's own
   * schedule, counted from the claim: a prefetched job may start a little after it was claimed.
   */
  void start(Job job, int laneIndex) {
    Instant now = config.clock().instant();
    Instant leased = job.startedAt() != null && job.startedAt().isBefore(now) ? job.startedAt() : now;
    var execution =
        new Execution(
            job,
            config.handlers().get(job.type()),
            this,
            laneIndex,
            now.plus(job.timeout()),
            leased.plus(renewEvery()));
    running.put(job.id(), execution);
    if (cancelsAhead.remove(job.id()) != null) {
      execution.cancel();
    }
    phases.started(job);
    Thread.ofVirtual().name("vigil-job-" + job.type()).start(execution);
  }

  /** Enforces deadlines and renews leases that are due; cheap when nothing is due. */
  void tick(Instant now) {
    Instant forgotten = now.minus(config.leaseDuration());
    cancelsAhead.values().removeIf(asked -> asked.isBefore(forgotten));
    for (Execution e : running.values()) {
      if (!now.isBefore(e.deadline())) {
        timeOut(e);
      } else if (!now.isBefore(e.renewAt()) && e.renewing().compareAndSet(false, true)) {
        Thread.ofVirtual().name("vigil-lease").start(() -> renew(e, now));
      }
    }
  }

  /**
   * Relays a cancellation to a job that runs here, or is about to start here: a job claimed (or
   * taken from the prefetch buffer) but not yet started is cancelled as it starts, before its
   * handler runs. A request for a job that does not start here within a lease is forgotten.
   */
  void cancel(String jobId) {
    cancelsAhead.put(jobId, config.clock().instant());
    Execution e = running.get(jobId);
    if (e != null && cancelsAhead.remove(jobId) != null) {
      e.cancel();
    }
  }

  /** Jobs running here now. */
  Collection<Execution> executions() {
    return running.values();
  }

  /** Waits until no job runs here, or the grace period passes; true when idle. */
  boolean awaitIdle(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    idleLock.lock();
    try {
      while (!running.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return running.isEmpty();
    } finally {
      idleLock.unlock();
    }
  }

  /** Gives back the lease of every job still running here, interrupting its handler. */
  void releaseAll(String why) {
    for (Execution e : running.values()) {
      if (e.settle()) {
        e.interrupt();
        try {
          completions.write(ended(e, completions.releasing(e.job(), why)));
        } catch (RuntimeException ex) {
          log.warn("could not release job {} ({}); its lease will expire", e.jobId(), ex.toString());
        } finally {
          free(e);
        }
      }
    }
  }

  // ---- Execution.Host

  @Override
  public ObjectMapper mapper() {
    return config.mapper();
  }

  @Override
  public void handlerEnded(Execution e, Throwable failure) {
    if (!e.settle()) {
      return;
    }
    Job job = e.job();
    try {
      Finish finish;
      if (e.isCancelled()) {
        finish = completions.cancellation(job);
      } else if (failure == null) {
        finish = completions.success(job, e.resultJson());
      } else {
        boolean retryable = !(failure instanceof NonRetryableException);
        finish = completions.failure(job, AttemptOutcome.FAILED, errorOf(e, failure), retryable);
      }
      batcher.submit(job, ended(e, finish));
    } finally {
      free(e);
    }
  }

  @Override
  public void heartbeat(Execution e, Double progress, String message) {
    if (e.isSettled()) {
      throw new LeaseLostException(e.jobId());
    }
    Instant now = config.clock().instant();
    try {
      HeartbeatResult r =
          store.heartbeat(
              e.jobId(), e.job().leaseToken(), now.plus(config.leaseDuration()), progress, config.redact(message));
      e.renewAt(now.plus(renewEvery()));
      if (r.cancelRequested()) {
        e.cancel();
      }
    } catch (LeaseLostException ex) {
      abandon(e);
      throw ex;
    }
  }

  @Override
  public Job enqueueChild(Execution parent, JobRequest request) {
    return childEnqueuer.apply(parent, request);
  }

  @Override
  public AttemptSpans spans(Execution e) {
    return new AttemptSpans(config.clock(), config.redactor(), (name, took) -> phases.span(e.job(), name, took));
  }

  @Override
  public AttemptCalls calls(Execution e) {
    return new AttemptCalls(llm);
  }

  // ---- internals

  /** A handler's failure, grouped by its own fingerprint: the exception's, else the context's. */
  private static JobError errorOf(Execution e, Throwable failure) {
    JobError error = JobError.of(failure);
    return error.fingerprint() == null && !e.fingerprint().isEmpty() ? error.withFingerprint(e.fingerprint()) : error;
  }

  private void timeOut(Execution e) {
    if (!e.settle()) {
      return;
    }
    e.interrupt();
    Job job = e.job();
    try {
      Finish finish =
          e.isCancelled()
              ? completions.cancellation(job)
              : completions.failure(
                  job,
                  AttemptOutcome.TIMED_OUT,
                  JobError.of("Timeout", "attempt ran past its timeout of " + job.timeout().toMillis() + " ms"),
                  true);
      batcher.submit(job, ended(e, finish));
    } finally {
      free(e);
    }
  }

  private void renew(Execution e, Instant now) {
    try {
      if (!e.isSettled()) {
        HeartbeatResult r =
            store.heartbeat(e.jobId(), e.job().leaseToken(), now.plus(config.leaseDuration()), null, null);
        e.renewAt(now.plus(renewEvery()));
        if (r.cancelRequested()) {
          e.cancel();
        }
      }
    } catch (LeaseLostException ex) {
      log.warn("job {} lost its lease while running; stopping it", e.jobId());
      abandon(e);
    } catch (RuntimeException ex) {
      log.warn("could not renew the lease of job {} ({}); will retry", e.jobId(), ex.toString());
    } finally {
      e.renewing().set(false);
    }
  }

  /** The job's lease is gone: stop the handler and free the slot without writing anything. */
  private void abandon(Execution e) {
    if (e.settle()) {
      e.interrupt();
      free(e);
    }
  }

  private void free(Execution e) {
    running.remove(e.jobId());
    slotFreed.accept(e.ran(), e.laneIndex());
    idleLock.lock();
    try {
      idle.signalAll();
    } finally {
      idleLock.unlock();
    }
  }

  /**
   * The attempt's outcome with its spans and model calls; logs the attempt's end and records its
   * run time.
   */
  private Finish ended(Execution e, Finish finish) {
    List<JobSpan> spans = e.spans();
    List<LlmUsage> calls = e.calls();
    Finish withSpans = spans.isEmpty() ? finish : finish.withSpans(spans);
    withSpans = calls.isEmpty() ? withSpans : withSpans.withUsage(calls);
    Job job = e.job();
    Duration took = job.startedAt() == null ? Duration.ZERO : Duration.between(job.startedAt(), finish.now());
    AttemptLog.ended(job, withSpans, took);
    phases.ran(job, took);
    return withSpans;
  }

  private Duration renewEvery() {
    return config.leaseDuration().dividedBy(3);
  }
}
