package dev.vigil.server.demo;

import dev.vigil.llm.TokenCounts;
import java.util.random.RandomGenerator;

/**
 * Which model each simulated call of the demo goes to and how many tokens it uses, drawn per job
 * type so that cost, tokens and carbon look like a real chat application's from the first minute.
 *
 * <table>
 *   <caption>The mix</caption>
 *   <tr><th>call</th><th>models</th><th>tokens</th></tr>
 *   <tr><td>chat reply</td><td>gpt-4o-mini, claude-3-5-haiku, gemini-2.0-flash; 3 % on
 *       ministral-8b, which the default price table does not price</td><td>600–2,000 in (often
 *       part cached), 50–400 out</td></tr>
 *   <tr><td>social post</td><td>gpt-4.1-mini, gemini-2.5-flash, mistral-medium</td><td>1,500–4,000
 *       in, 150–700 out</td></tr>
 *   <tr><td>dream step</td><td>gpt-4o or claude-sonnet-4-5 for the whole dream; every third step
 *       o4-mini, reasoning</td><td>4,000–12,000 in, cached after the first step; 300–1,500 out,
 *       or 800–3,000 out mostly reasoning</td></tr>
 *   <tr><td>digest</td><td>gpt-4.1-nano, gemini-2.5-flash-lite</td><td>3,000–8,000 in, 200–600
 *       out</td></tr>
 * </table>
 *
 * <p>Model names match rows of the default price table (except the one meant to stay unpriced, so
 * {@code vigil_llm_unpriced_calls_total} is visible too). Calls per second of the demo's load: about
 * 3 chat, 0.5 post, 1 dream step, so roughly 2 % of all calls are unpriced. Draws come from the
 * generator given, which must be safe to share between threads (such as {@link java.util.Random}).
 */
final class ModelMix {
  /** The share of chat calls on the model the default price table does not price. */
  static final double UNPRICED_CHAT_SHARE = 0.03;

  static final Model UNPRICED = new Model("mistral", "ministral-8b-latest");

  static final Model[] CHAT = {
    new Model("openai", "gpt-4o-mini"),
    new Model("anthropic", "claude-3-5-haiku-20241022"),
    new Model("google", "gemini-2.0-flash"),
  };
  static final Model[] POST = {
    new Model("openai", "gpt-4.1-mini"),
    new Model("google", "gemini-2.5-flash"),
    new Model("mistral", "mistral-medium-latest"),
  };
  static final Model[] DREAM = {
    new Model("openai", "gpt-4o"), new Model("anthropic", "claude-sonnet-4-5"),
  };
  static final Model REASONING = new Model("openai", "o4-mini");
  static final Model[] DIGEST = {
    new Model("openai", "gpt-4.1-nano"), new Model("google", "gemini-2.5-flash-lite"),
  };

  /** A provider ({@code gen_ai.provider.name}) and model ({@code gen_ai.request.model}). */
  record Model(String provider, String model) {}

  /** One simulated call: the model it goes to and the tokens it will report. */
  record Call(Model model, TokenCounts tokens) {
    /** What a call that fails after sending its prompt is billed: its input, no output. */
    TokenCounts inputOnly() {
      return new TokenCounts(tokens.input(), tokens.cachedInput(), 0, 0);
    }
  }

  private final RandomGenerator random;

  ModelMix(RandomGenerator random) {
    this.random = random;
  }

  /** A chat reply: a small fast model, a conversation's history often partly cached. */
  Call chat() {
    Model model =
        random.nextDouble() < UNPRICED_CHAT_SHARE ? UNPRICED : CHAT[random.nextInt(CHAT.length)];
    long input = random.nextLong(600, 2_001);
    return new Call(model, new TokenCounts(input, cached(input, 0.6), random.nextLong(50, 401), 0));
  }

  /** A social post: a mid-sized model, a longer prompt (persona, topic, recent posts). */
  Call post() {
    long input = random.nextLong(1_500, 4_001);
    return new Call(
        POST[random.nextInt(POST.length)],
        new TokenCounts(input, cached(input, 0.4), random.nextLong(150, 701), 0));
  }

  /** The big model one whole dream writes with. */
  Model dreamer() {
    return DREAM[random.nextInt(DREAM.length)];
  }

  /**
   * Step {@code step} (from 1) of a dream by {@code dreamer}: the memories as a long prompt, read
   * from the provider's cache after the first step; every third step a reasoning model reflects.
   */
  Call dreamStep(Model dreamer, int step) {
    long input = random.nextLong(4_000, 12_001);
    long cached = step == 1 ? 0 : Math.round(input * (0.5 + 0.4 * random.nextDouble()));
    if (step % 3 == 0) {
      long output = random.nextLong(800, 3_001);
      long reasoning = Math.round(output * (0.6 + 0.25 * random.nextDouble()));
      return new Call(REASONING, new TokenCounts(input, cached, output, reasoning));
    }
    return new Call(dreamer, new TokenCounts(input, cached, random.nextLong(300, 1_501), 0));
  }

  /** The digest: a cheap summariser over many memories. */
  Call digest() {
    return new Call(
        DIGEST[random.nextInt(DIGEST.length)],
        TokenCounts.of(random.nextLong(3_000, 8_001), random.nextLong(200, 601)));
  }

  /** With probability {@code p}, 30–80 % of {@code input} read from the cache; otherwise none. */
  private long cached(long input, double p) {
    return random.nextDouble() < p ? Math.round(input * (0.3 + 0.5 * random.nextDouble())) : 0;
  }
}
