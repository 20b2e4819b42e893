package dev.vigil.llm;

/**
 * The tokens of one model call, as the OpenTelemetry GenAI conventions count them: {@code input}
 * counts every input token, cached ones included, and {@code cachedInput} says how many of them
 * were read from the provider's cache; {@code output} counts every output token, reasoning
 * included, and {@code reasoning} says how many of them were reasoning (it changes nothing in the
 * price: reasoning tokens are output tokens).
 *
 * @throws InvalidPriceException for a negative count, more cached than input tokens or more
 *     reasoning than output tokens
 */
public record TokenCounts(long input, long cachedInput, long output, long reasoning) {
  public TokenCounts {
    nonNegative("input_tokens", input);
    nonNegative("cached_input_tokens", cachedInput);
    nonNegative("output_tokens", output);
    nonNegative("reasoning_tokens", reasoning);
    if (cachedInput > input) {
      throw new InvalidPriceException(
          "cached_input_tokens", "must be at most input_tokens (" + input + "), which counts cached tokens too");
    }
    if (reasoning > output) {
      throw new InvalidPriceException(
          "reasoning_tokens", "must be at most output_tokens (" + output + "), which counts reasoning tokens too");
    }
  }

  /** Input and output tokens only: nothing cached, no reasoning. */
  public static TokenCounts of(long input, long output) {
    return new TokenCounts(input, 0, output, 0);
  }

  private static void nonNegative(String field, long v) {
    if (v < 0) {
      throw new InvalidPriceException(field, "must not be negative (got " + v + ")");
    }
  }
}
