package dev.vigil.llm;

import dev.vigil.VigilException;

/**
 * Thrown when a price row, or a call to be priced, is refused: a missing or unknown field, a
 * regular expression that does not compile, a negative price or token count. {@link #field()}
 * names the failing field as the JSON names it ({@code prices[2].usd_per_million.output}), so the
 * configuration and the HTTP API can point at it; nothing is changed when it is thrown.
 */
public final class InvalidPriceException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  public InvalidPriceException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** The failing field, dotted, with list indexes ({@code prices[0].valid_from}). */
  public String field() {
    return field;
  }

  /** Why it failed, without the field's name. */
  public String reason() {
    return reason;
  }

  /** The same error with {@code prefix} before the field name, e.g. {@code prices[3].}. */
  public InvalidPriceException prefixed(String prefix) {
    return new InvalidPriceException(prefix + field, reason);
  }
}
