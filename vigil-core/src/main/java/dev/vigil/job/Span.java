package dev.vigil.job;

/**
 * A timed part of one attempt, such as an LLM call or a database query, opened by {@link
 * JobContext#span(String)} and ended by {@link #close()}, best with try-with-resources:
 *
 * <pre>{@code
 * try (Span span = ctx.span("llm_call")) {
 *   span.attribute("model", "gpt-4o-mini");
 *   reply = llm.complete(prompt);
 * }
 * }</pre>
 *
 * <p>Closed spans are stored with the attempt when it ends and shown in the job's timeline; their
 * names feed the {@code vigil_job_phase_seconds} histogram. Attributes are for small, bounded
 * facts (a model name, a row count), never user content: values are truncated and redacted before
 * they are stored, and a span keeps at most {@value JobSpan#MAX_ATTRIBUTES} of them (the first
 * ones set). A span that is never closed is not recorded. Closing twice does nothing.
 */
public interface Span extends AutoCloseable {

  /** Sets an attribute; later values of the same key win. Returns this span. */
  Span attribute(String key, String value);

  /** Sets a numeric attribute. Returns this span. */
  default Span attribute(String key, long value) {
    return attribute(key, Long.toString(value));
  }

  /** Ends the span now. */
  @Override
  void close();

  /** A span that records nothing. */
  Span NONE =
      new Span() {
        @Override
        public Span attribute(String key, String value) {
          return this;
        }

        @Override
        public void close() {}
      };
}
