package dev.vigil.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.llm.LlmCall;

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

  /**
   * Starts timing a part of this attempt, such as an LLM call; close it (try-with-resources) when
   * that part ends. Closed spans are stored with the attempt and shown in the job's timeline, and
   * their names become the {@code phase} of the {@code vigil_job_phase_seconds} histogram. An
   * attempt keeps at most {@value JobSpan#MAX_PER_ATTEMPT} spans; later ones are timed but not
   * stored. Spans may nest and may be used from threads the handler starts.
   *
   * @param name what is timed: 1 to {@value JobSpan#MAX_NAME} letters, digits, {@code _ . : -};
   *     name kinds of work ({@code llm_call}, {@code db_query}), never values
   * @throws IllegalArgumentException if the name is not valid
   */
  Span span(String name);

  /**
   * Starts a call to a language model, timed like a {@link #span} (it is one, named {@value
   * LlmCall#SPAN_NAME}, carrying the OpenTelemetry GenAI attributes); give it the tokens when the
   * model answers, and close it (try-with-resources). Each closed call is recorded with the
   * attempt: priced by the engine's price table, with its energy and carbon estimated, stored when
   * the attempt ends and summed in the job's {@code usage} (calls of failed attempts apart, as
   * {@code retry_cost_usd}). See {@link LlmCall}.
   *
   * <p>The default records nothing, so a context written for a handler's unit test need not.
   *
   * @param provider {@code gen_ai.provider.name}, e.g. {@code openai}, {@code anthropic}
   * @param model {@code gen_ai.request.model}, e.g. {@code gpt-4o-mini}
   * @throws IllegalArgumentException if a name is blank, longer than 200 characters or holds
   *     control characters
   */
  default LlmCall llm(String provider, String model) {
    return LlmCall.NONE;
  }

  /**
   * Groups a failure of this attempt by these parts instead of the default grouping (the error's
   * type and in-app stack frames, or its type and message), as Sentry's custom fingerprints: for
   * example {@code ctx.fingerprint("provider-timeout", provider)}. A part {@value
   * Fingerprinted#DEFAULT} stands for the default grouping. An exception that implements {@link
   * Fingerprinted} wins over this. Parts name kinds of failure, never values such as ids or user
   * data: each distinct fingerprint becomes an error group. No parts: the default again.
   *
   * <p>The engine's context records it; the default does nothing, so a context written for a
   * handler's unit test need not.
   */
  default void fingerprint(String... parts) {}
}
