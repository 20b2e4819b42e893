package dev.vigil.llm;

/**
 * One call to a language model made by a running handler, opened by {@link
 * dev.vigil.job.JobContext#llm(String, String)} and ended by {@link #close()}, best with
 * try-with-resources:
 *
 * <pre>{@code
 * try (LlmCall call = ctx.llm("openai", "gpt-4o-mini")) {
 *   Reply reply = client.chat(prompt);
 *   call.tokens(new TokenCounts(reply.inputTokens(), reply.cachedTokens(), reply.outputTokens(), 0));
 * }
 * }</pre>
 *
 * <p>The call is timed like a span and is one on the job's timeline (named {@value #SPAN_NAME},
 * with the OpenTelemetry GenAI attributes). When it closes it becomes a usage record of the
 * attempt ({@link LlmUsage}): priced by the engine's price table as of the call's start, with its
 * energy and carbon estimated, stored with the attempt when it ends. A call closed without
 * {@link #tokens} (the client threw) or after {@link #error} is recorded with outcome {@value
 * LlmUsage#ERROR}. Closing twice does nothing; calls after closing change nothing. Not meant to
 * be shared between threads.
 */
public interface LlmCall extends AutoCloseable {

  /** The name of the span every call adds to the job's timeline. */
  String SPAN_NAME = "llm_call";

  /** The operation, default {@value LlmUsage#DEFAULT_OPERATION}: {@code embeddings}, {@code text_completion}, … */
  LlmCall operation(String operation);

  /** The tokens the call used, as the provider reported them. Returns this call. */
  LlmCall tokens(TokenCounts tokens);

  /**
   * Marks the call failed, with a short kind of error (such as the exception's simple class
   * name, never its message). Tokens already given are kept: a failed call may still be billed.
   */
  LlmCall error(String errorType);

  /** Marks the call failed with this exception's simple class name. */
  default LlmCall error(Throwable failure) {
    return error(failure == null ? "error" : failure.getClass().getSimpleName());
  }

  /** Ends the call now and records it. */
  @Override
  void close();

  /** A call that records nothing. */
  LlmCall NONE =
      new LlmCall() {
        @Override
        public LlmCall operation(String operation) {
          return this;
        }

        @Override
        public LlmCall tokens(TokenCounts tokens) {
          return this;
        }

        @Override
        public LlmCall error(String errorType) {
          return this;
        }

        @Override
        public void close() {}
      };
}
