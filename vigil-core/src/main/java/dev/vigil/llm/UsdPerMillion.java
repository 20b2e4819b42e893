package dev.vigil.llm;

import java.math.BigDecimal;

/**
 * A model's prices in US dollars per million tokens: every input token not read from the
 * provider's cache, input tokens read from the cache, and output tokens (reasoning tokens
 * included, as providers bill them).
 *
 * @throws InvalidPriceException when a price is missing or negative
 */
public record UsdPerMillion(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {
  public UsdPerMillion {
    check("usd_per_million.input", input);
    check("usd_per_million.cached_input", cachedInput);
    check("usd_per_million.output", output);
  }

  /** Convenience for tests and code: prices written as decimal text, e.g. {@code "0.15"}. */
  public static UsdPerMillion of(String input, String cachedInput, String output) {
    return new UsdPerMillion(new BigDecimal(input), new BigDecimal(cachedInput), new BigDecimal(output));
  }

  private static void check(String field, BigDecimal price) {
    if (price == null) {
      throw new InvalidPriceException(field, "is required");
    }
    if (price.signum() < 0) {
      throw new InvalidPriceException(field, "must not be negative (got " + price.toPlainString() + ")");
    }
  }
}
