package dev.vigil.llm;

import java.time.LocalDate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One dated row of the price table: from {@code validFrom} (a UTC date) on, calls to a model of
 * {@code provider} whose whole name matches {@code modelPattern} cost {@code usdPerMillion}.
 *
 * <p>The pattern is a Java regular expression matched against the <em>whole</em> model name:
 * {@code gpt-4o} prices {@code gpt-4o} only, never {@code gpt-4o-mini}; write {@code
 * gpt-4o(-\d{4}-\d{2}-\d{2})?} to include dated snapshots. Provider names are compared without
 * regard to case.
 *
 * @throws InvalidPriceException when a field is missing, the provider is blank or the pattern does
 *     not compile
 */
public record PriceRow(String provider, String modelPattern, LocalDate validFrom, UsdPerMillion usdPerMillion) {
  /** Longest accepted provider name and pattern, in characters. */
  public static final int MAX_TEXT = 200;

  public PriceRow {
    if (provider == null || provider.isBlank()) {
      throw new InvalidPriceException("provider", "is required");
    }
    if (provider.length() > MAX_TEXT) {
      throw new InvalidPriceException("provider", "must be at most " + MAX_TEXT + " characters");
    }
    if (modelPattern == null || modelPattern.isEmpty()) {
      throw new InvalidPriceException("model_pattern", "is required");
    }
    if (modelPattern.length() > MAX_TEXT) {
      throw new InvalidPriceException("model_pattern", "must be at most " + MAX_TEXT + " characters");
    }
    compile(modelPattern);
    if (validFrom == null) {
      throw new InvalidPriceException("valid_from", "is required");
    }
    if (usdPerMillion == null) {
      throw new InvalidPriceException("usd_per_million", "is required");
    }
    provider = provider.strip();
  }

  /** Whether {@code other} is the same row: same provider (any case), pattern and date. */
  public boolean sameKey(PriceRow other) {
    return provider.equalsIgnoreCase(other.provider)
        && modelPattern.equals(other.modelPattern)
        && validFrom.equals(other.validFrom);
  }

  static Pattern compile(String modelPattern) {
    try {
      return Pattern.compile(modelPattern);
    } catch (PatternSyntaxException e) {
      throw new InvalidPriceException(
          "model_pattern", "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
    }
  }
}
