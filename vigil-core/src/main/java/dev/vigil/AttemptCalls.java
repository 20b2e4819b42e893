package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.Span;
import dev.vigil.llm.LlmCall;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.TokenCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The model calls of one running attempt: handed out by {@link Execution#llm}, each also a span
 * on the attempt's timeline carrying the OpenTelemetry GenAI attributes, and kept as usage records
 * when they close, to be written with the attempt's outcome. Bounded: at most {@value
 * #MAX_PER_ATTEMPT} records are kept (later calls are still metered). Thread-safe.
 */
final class AttemptCalls {
  /** Usage records kept per attempt, as the HTTP API accepts per request. */
  static final int MAX_PER_ATTEMPT = 1_000;

  static final String PROVIDER = "gen_ai.provider.name";
  static final String MODEL = "gen_ai.request.model";
  static final String OPERATION = "gen_ai.operation.name";
  static final String INPUT = "gen_ai.usage.input_tokens";
  static final String OUTPUT = "gen_ai.usage.output_tokens";
  static final String CACHED_INPUT = "gen_ai.usage.cache_read.input_tokens";
  static final String REASONING = "gen_ai.usage.reasoning.output_tokens";
  static final String ERROR_TYPE = "error.type";

  private final LlmRecorder recorder;
  private final List<LlmUsage> kept = new ArrayList<>();

  AttemptCalls(LlmRecorder recorder) {
    this.recorder = recorder;
  }

  /** Starts a call of {@code job}'s current attempt now, timed by {@code span}. */
  LlmCall open(Job job, Span span, String provider, String model) {
    return new Open(job, span, provider, model, recorder.clock().instant());
  }

  /** The calls closed so far, in the order they closed. */
  synchronized List<LlmUsage> closedCalls() {
    return List.copyOf(kept);
  }

  private synchronized void keep(LlmUsage usage) {
    if (kept.size() < MAX_PER_ATTEMPT) {
      kept.add(usage);
    }
  }

  /** A provider or model name: 1 to 200 characters, no control characters. */
  static String checkName(String what, String value) {
    if (value == null || value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(what + " must be 1-200 characters without control characters");
    }
    return value;
  }

  private final class Open implements LlmCall {
    private final Job job;
    private final Span span;
    private final String provider;
    private final String model;
    private final Instant start;
    private String operation = LlmUsage.DEFAULT_OPERATION;
    private TokenCounts tokens;
    private String errorType;
    private boolean done;

    Open(Job job, Span span, String provider, String model, Instant start) {
      this.job = job;
      this.span = span;
      this.provider = provider;
      this.model = model;
      this.start = start;
      span.attribute(PROVIDER, provider).attribute(MODEL, model);
    }

    @Override
    public synchronized LlmCall operation(String value) {
      operation = checkName("operation", value);
      return this;
    }

    @Override
    public synchronized LlmCall tokens(TokenCounts value) {
      tokens = Objects.requireNonNull(value, "tokens");
      return this;
    }

    @Override
    public synchronized LlmCall error(String type) {
      errorType = type == null || type.isBlank() ? "error" : type;
      return this;
    }

    @Override
    public void close() {
      LlmUsage usage;
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        boolean ok = tokens != null && errorType == null;
        TokenCounts used = tokens != null ? tokens : TokenCounts.of(0, 0);
        span.attribute(OPERATION, operation)
            .attribute(INPUT, used.input())
            .attribute(OUTPUT, used.output())
            .attribute(CACHED_INPUT, used.cachedInput())
            .attribute(REASONING, used.reasoning());
        if (!ok) {
          span.attribute(ERROR_TYPE, errorType != null ? errorType : "no_tokens");
        }
        span.close();
        usage = recorder.record(job, start, provider, model, operation, used, ok);
      }
      keep(usage);
    }
  }
}
