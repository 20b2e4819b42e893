package dev.vigil;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.Job;
import dev.vigil.job.JobContext;
import dev.vigil.job.JobHandler;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobSpan;
import dev.vigil.job.Span;
import dev.vigil.llm.LlmCall;
import dev.vigil.llm.LlmUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of one job running in this process, on its own virtual thread, and the {@link
 * JobContext} its handler sees.
 *
 * <p>The attempt is settled exactly once, by whoever gets there first: the handler returning or
 * throwing, the deadline passing, or shutdown. {@link #settle()} is that race's single gate; the
 * losers' results are discarded. This is what lets a handler that ignores interruption lose its
 * slot at the deadline without being able to overwrite the outcome later.
 */
final class Execution implements JobContext, Runnable {

  /** What an execution needs from the engine. */
  interface Host {
    ObjectMapper mapper();

    /** Records how the handler ended, writes it and frees the slot. */
    void handlerEnded(Execution execution, Throwable failure);

    void heartbeat(Execution execution, Double progress, String message);

    Job enqueueChild(Execution parent, JobRequest request);

    /** The span recorder of an attempt, made on its first span. */
    AttemptSpans spans(Execution execution);

    /** The model-call recorder of an attempt, made on its first call. */
    AttemptCalls calls(Execution execution);
  }

  private final Job job;
  private final JobHandler handler;
  private final Host host;
  private final int laneIndex;
  private final Instant deadline;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final long createdNanos = System.nanoTime();
  private volatile boolean cancelled;
  private volatile Thread thread;
  private volatile String resultJson;
  private volatile Instant renewAt;
  private final AtomicBoolean renewing = new AtomicBoolean();
  private JsonNode payload;
  private volatile AttemptSpans spans;
  private volatile AttemptCalls calls;
  private volatile List<String> fingerprint = List.of();

  Execution(Job job, JobHandler handler, Host host, int laneIndex, Instant deadline, Instant renewAt) {
    this.job = job;
    this.handler = handler;
    this.host = host;
    this.laneIndex = laneIndex;
    this.deadline = deadline;
    this.renewAt = renewAt;
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    AttemptLog.enter(job);
    try {
      Throwable failure = null;
      try {
        if (cancelled) {
          throw new InterruptedException("cancelled before start");
        }
        handler.handle(this);
      } catch (Throwable t) {
        failure = t;
      }
      host.handlerEnded(this, failure);
    } finally {
      AttemptLog.leave();
    }
  }

  /** True for exactly one caller: the one that decides this attempt's outcome. */
  boolean settle() {
    return settled.compareAndSet(false, true);
  }

  boolean isSettled() {
    return settled.get();
  }

  /** Interrupts the handler, if it is running. */
  void interrupt() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Marks the job cancelled and interrupts its handler. */
  void cancel() {
    cancelled = true;
    interrupt();
  }

  Job job() {
    return job;
  }

  /** How long this attempt has held its slot so far. */
  Duration ran() {
    return Duration.ofNanos(System.nanoTime() - createdNanos);
  }

  int laneIndex() {
    return laneIndex;
  }

  Instant deadline() {
    return deadline;
  }

  Instant renewAt() {
    return renewAt;
  }

  void renewAt(Instant next) {
    renewAt = next;
  }

  /** Guards against two lease renewals of this execution in flight at once. */
  AtomicBoolean renewing() {
    return renewing;
  }

  String resultJson() {
    return resultJson;
  }

  /** The spans closed so far; empty (and free) when the handler timed nothing. */
  List<JobSpan> spans() {
    AttemptSpans s = spans;
    return s == null ? List.of() : s.closedSpans();
  }

  /** The model calls closed so far; empty (and free) when the handler made none. */
  List<LlmUsage> calls() {
    AttemptCalls c = calls;
    return c == null ? List.of() : c.closedCalls();
  }

  /** The fingerprint the handler chose for a failure of this attempt; empty for the default. */
  List<String> fingerprint() {
    return fingerprint;
  }

  // ---- JobContext

  @Override
  public void fingerprint(String... parts) {
    fingerprint = parts == null ? List.of() : java.util.Arrays.stream(parts).filter(java.util.Objects::nonNull).toList();
  }

  @Override
  public String jobId() {
    return job.id();
  }

  @Override
  public String type() {
    return job.type();
  }

  @Override
  public String lane() {
    return job.lane();
  }

  @Override
  public int attempt() {
    return job.attempt();
  }

  @Override
  public String correlationId() {
    return job.correlationId();
  }

  @Override
  public synchronized JsonNode payload() {
    if (payload == null) {
      try {
        payload = host.mapper().readTree(job.payloadJson());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("stored payload of job " + job.id() + " is not JSON", e);
      }
    }
    return payload;
  }

  @Override
  public <T> T payload(Class<T> type) {
    try {
      return host.mapper().treeToValue(payload(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "payload of job " + job.id() + " does not map to " + type.getSimpleName(), e);
    }
  }

  @Override
  public void heartbeat() {
    host.heartbeat(this, null, null);
  }

  @Override
  public void progress(double fraction, String message) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("progress must be between 0 and 1");
    }
    host.heartbeat(this, fraction, message);
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void result(Object result) {
    try {
      resultJson = host.mapper().writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("result cannot be written as JSON", e);
    }
  }

  @Override
  public Job enqueueChild(JobRequest request) {
    return host.enqueueChild(this, request);
  }

  @Override
  public Span span(String name) {
    AttemptSpans s = spans;
    if (s == null) {
      synchronized (this) {
        if (spans == null) {
          spans = host.spans(this);
        }
        s = spans;
      }
    }
    return s.open(name);
  }

  @Override
  public LlmCall llm(String provider, String model) {
    AttemptCalls.checkName("provider", provider);
    AttemptCalls.checkName("model", model);
    AttemptCalls c = calls;
    if (c == null) {
      synchronized (this) {
        if (calls == null) {
          calls = host.calls(this);
        }
        c = calls;
      }
    }
    return c.open(job, span(LlmCall.SPAN_NAME), provider, model);
  }
}
