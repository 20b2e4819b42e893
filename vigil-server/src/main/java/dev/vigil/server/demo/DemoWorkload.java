package dev.vigil.server.demo;

import dev.vigil.Vigil;
import dev.vigil.job.JobContext;
import dev.vigil.job.JobHandler;
import dev.vigil.job.NonRetryableException;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.Span;
import dev.vigil.llm.LlmCall;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The demo's simulated AI application: handlers that take as long as the real thing would and fail
 * as often as real providers do, without calling anything.
 *
 * <table>
 *   <caption>Job types</caption>
 *   <tr><th>type</th><th>lane</th><th>takes</th></tr>
 *   <tr><td>{@value #CHAT}</td><td>cognition</td><td>50–800 ms, log-normal around 200 ms</td></tr>
 *   <tr><td>{@value #POST}</td><td>social</td><td>1–3 s</td></tr>
 *   <tr><td>{@value #ENRICH}</td><td>sensory</td><td>100–500 ms</td></tr>
 *   <tr><td>{@value #DREAM}</td><td>background</td><td>30 s, reporting progress every 3 s</td></tr>
 *   <tr><td>{@value #DIGEST}</td><td>sensory</td><td>0.5–1.5 s, fired by a schedule every minute</td></tr>
 * </table>
 *
 * <p>Handlers time their simulated store calls as spans ({@code embedding_call}, {@code
 * db_query}) and make their simulated model calls through {@link JobContext#llm} (spans named
 * {@code llm_call}), so each job's timeline and the {@code vigil_job_phase_seconds} histogram show
 * where the time went, and every job's {@code usage}, the {@code vigil_llm_*} meters, {@code vigil
 * usage} and {@code vigil carbon} show tokens, cost and carbon from the first minute: models and
 * tokens are drawn per job type by {@link ModelMix}. A failed attempt's call is recorded as an
 * error billed for its input tokens, so {@code retry_cost_usd} shows what retries cost.
 *
 * <p>Every attempt fails transiently with {@link Settings#transientFailureRate} (retried by the
 * short demo retry policy) or permanently with {@link Settings#permanentFailureRate} ({@link
 * NonRetryableException}, so the job goes straight to {@code dead}). Handlers never log or echo
 * their payload: like real handlers they may hold user content.
 */
public final class DemoWorkload {
  public static final String CHAT = "generate_reply";
  public static final String POST = "write_post";
  public static final String ENRICH = "enrich_memory";
  public static final String DREAM = "dream";
  public static final String DIGEST = "consolidate_memories";

  private static final int DREAM_STEPS = 10;

  /**
   * How the simulation behaves.
   *
   * @param timeScale multiplies every simulated duration: 1 for the demo, less for tests
   * @param retryPolicy the policy of every demo type
   */
  public record Settings(
      double transientFailureRate,
      double permanentFailureRate,
      double timeScale,
      RetryPolicy retryPolicy) {

    /**
     * 5 % transient and 1 % permanent failures, real durations, retries after 0–2 s then up to 30
     * s.
     */
    public static final Settings DEMO =
        new Settings(
            0.05, 0.01, 1.0, new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(30)));

    public Settings {
      if (transientFailureRate < 0
          || permanentFailureRate < 0
          || transientFailureRate + permanentFailureRate > 1) {
        throw new IllegalArgumentException("failure rates must be between 0 and 1 together");
      }
      if (timeScale <= 0) {
        throw new IllegalArgumentException("time scale must be positive");
      }
    }
  }

  private final Settings settings;
  private final RandomGenerator random;
  private final ModelMix mix;

  /** A workload drawing from an unseeded generator. */
  public DemoWorkload(Settings settings) {
    this(settings, new Random());
  }

  /**
   * A workload drawing durations, failures, models and tokens from {@code random}, which the
   * handlers share between threads: give a thread-safe one, such as a seeded {@link Random}.
   */
  public DemoWorkload(Settings settings, Random random) {
    this.settings = settings;
    this.random = random;
    this.mix = new ModelMix(random);
  }

  /** Registers every demo handler with its retry policy and timeout. */
  public void register(Vigil.Builder builder) {
    handler(builder, CHAT, this::reply, Duration.ofSeconds(15));
    handler(builder, POST, this::post, Duration.ofSeconds(15));
    handler(builder, ENRICH, this::enrich, Duration.ofSeconds(15));
    handler(builder, DIGEST, this::digest, Duration.ofSeconds(15));
    // a dream takes 30 s; give it room, and let the engine renew its lease meanwhile
    handler(builder, DREAM, this::dream, Duration.ofSeconds(90));
  }

  private void handler(Vigil.Builder builder, String type, JobHandler handler, Duration timeout) {
    builder.handler(type, handler);
    builder.retryPolicy(type, settings.retryPolicy());
    builder.timeout(type, scaled(timeout.toMillis()));
  }

  // ---- the handlers

  private void reply(JobContext ctx) throws Exception {
    timed(ctx, "db_query", "memories", random.nextLong(5, 21));
    // log-normal: median 200 ms, most replies 100-400 ms, a tail to 800 ms
    long ms = Math.round(Math.exp(Math.log(200) + 0.6 * random.nextGaussian()));
    ModelMix.Call call = mix.chat();
    modelCall(ctx, call, clamp(ms, 50, 800));
    ctx.result(
        Map.of(
            "model",
            call.model().model(),
            "tokens_in",
            call.tokens().input(),
            "tokens_out",
            call.tokens().output()));
  }

  private void post(JobContext ctx) throws Exception {
    ModelMix.Call call = mix.post();
    modelCall(ctx, call, random.nextLong(1000, 3001));
    ctx.result(Map.of("model", call.model().model(), "tokens_out", call.tokens().output()));
  }

  private void enrich(JobContext ctx) throws Exception {
    // embeddings: the default price table prices no embedding model, so this call stays a plain
    // span rather than a model call that would be counted unpriced on every enrichment
    try (Span span = ctx.span("embedding_call")) {
      span.attribute("model", "sim-embed");
      work(random.nextLong(90, 481));
    }
    timed(ctx, "db_query", "vectors", random.nextLong(5, 21));
    ctx.result(Map.of("model", "sim-embed", "dimensions", 768));
  }

  private void digest(JobContext ctx) throws Exception {
    timed(ctx, "db_query", "memories", random.nextLong(400, 1201));
    ModelMix.Call call = mix.digest();
    modelCall(ctx, call, random.nextLong(100, 301));
    ctx.result(
        Map.of("model", call.model().model(), "memories_merged", random.nextInt(3, 40)));
  }

  private void dream(JobContext ctx) throws Exception {
    Outcome outcome = drawOutcome();
    ModelMix.Model dreamer = mix.dreamer();
    for (int step = 1; step <= DREAM_STEPS; step++) {
      ModelMix.Call call = mix.dreamStep(dreamer, step);
      // dreams fail halfway, after real work was spent
      boolean fails = step == DREAM_STEPS / 2 && outcome != Outcome.OK;
      try (LlmCall llm = ctx.llm(call.model().provider(), call.model().model())) {
        sleep(3_000);
        if (fails) {
          llm.tokens(call.inputOnly()).error(outcome.errorType());
        } else {
          llm.tokens(call.tokens());
        }
      }
      ctx.progress((double) step / DREAM_STEPS, "dream phase " + step + " of " + DREAM_STEPS);
      if (fails) {
        outcome.throwIfFailed();
      }
    }
    ctx.result(Map.of("model", dreamer.model(), "insights", random.nextInt(1, 6)));
  }

  /**
   * A simulated model call through {@link JobContext#llm}: started before the work, ended with the
   * call's tokens, or, when the attempt fails, as an error billed for its input tokens (what a
   * retry wastes). Interrupted (cancelled, timed out), it is recorded as an error without tokens.
   */
  private void modelCall(JobContext ctx, ModelMix.Call call, long millis) throws Exception {
    Outcome outcome = drawOutcome();
    try (LlmCall llm = ctx.llm(call.model().provider(), call.model().model())) {
      sleep(millis);
      if (outcome == Outcome.OK) {
        llm.tokens(call.tokens());
      } else {
        llm.tokens(call.inputOnly()).error(outcome.errorType());
      }
    }
    outcome.throwIfFailed();
  }

  /** A simulated store call, timed as a span with the table it reads. */
  private void timed(JobContext ctx, String span, String table, long millis) throws InterruptedException {
    try (Span s = ctx.span(span)) {
      s.attribute("table", table);
      sleep(millis);
    }
  }

  /** Simulated work: waits, then fails as drawn. Interrupted (cancelled, timed out) ends early. */
  private void work(long millis) throws Exception {
    Outcome outcome = drawOutcome();
    sleep(millis);
    outcome.throwIfFailed();
  }

  private void sleep(long millis) throws InterruptedException {
    Thread.sleep(scaled(millis));
  }

  private Duration scaled(long millis) {
    return Duration.ofMillis(Math.max(1, Math.round(millis * settings.timeScale())));
  }

  private Outcome drawOutcome() {
    double r = random.nextDouble();
    if (r < settings.permanentFailureRate()) {
      return Outcome.PERMANENT;
    }
    if (r < settings.permanentFailureRate() + settings.transientFailureRate()) {
      return Outcome.TRANSIENT;
    }
    return Outcome.OK;
  }

  private enum Outcome {
    OK,
    TRANSIENT,
    PERMANENT;

    /** The {@code error.type} of the model call that failed so. */
    String errorType() {
      return this == PERMANENT ? "content_policy" : "overloaded";
    }

    void throwIfFailed() throws Exception {
      switch (this) {
        case TRANSIENT ->
            throw new SimulatedProviderException(
                "simulated provider error: 503 overloaded, try again");
        case PERMANENT ->
            throw new NonRetryableException("simulated refusal: request violates content policy");
        case OK -> {}
      }
    }
  }

  /** A transient failure of the simulated model provider; the engine retries it. */
  static final class SimulatedProviderException extends Exception {
    private static final long serialVersionUID = 1L;

    SimulatedProviderException(String message) {
      super(message);
    }
  }

  private static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }
}
