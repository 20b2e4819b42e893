package dev.vigil.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a running handler knows about its job and can do about it. One context per attempt; use
 * it only from the handler's own call.
 */
public interface JobContext {

  String jobId();

  String type();

  String lane();

  /** This attempt's number, from 1. */
  int attempt();

  /** The job's correlation id, inherited by child jobs. */
  String correlationId();

  /** The payload as a JSON tree ({@code NullNode} when there is none). */
  JsonNode payload();

  /**
   * The payload mapped to a type by Jackson.
   *
   * @throws IllegalArgumentException if the payload does not map to {@code type}
   */
  <T> T payload(Class<T> type);

  /** Extends the job's lease now. The engine also does this by itself while the handler runs. */
  void heartbeat();

  /** Reports progress, a fraction from 0 to 1, with an optional short message. */
  void progress(double fraction, String message);

  /** True once the job has been cancelled; the handler's thread is also interrupted. */
  boolean isCancelled();

  /** Sets the result stored with the job when it succeeds (written as JSON by Jackson). */
  void result(Object result);

  /**
   * Enqueues a child job: it inherits this job's correlation id and records this job as parent.
   *
   * @throws dev.vigil.InvalidRequestException if the request is invalid
   */
  Job enqueueChild(JobRequest request);
}
