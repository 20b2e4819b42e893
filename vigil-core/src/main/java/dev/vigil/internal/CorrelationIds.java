package dev.vigil.internal;

import java.util.regex.Pattern;

/**
 * The one rule for a correlation id a caller chooses, wherever it comes from: the {@code
 * X-Correlation-Id} header (the server replaces an invalid one), an enqueue body's {@code
 * correlation_id} and a {@code JobRequest} built in Java (both refused with a field error). An id
 * is 1 to {@value #MAX_LENGTH} ASCII letters, digits, {@code . _ : -}: no spaces, no {@code @} (it
 * cannot carry an e-mail address into logs), no control characters (it cannot break a log line or
 * a terminal). Internal: not part of Vigil's API.
 */
public final class CorrelationIds {
  /** The longest id accepted. */
  public static final int MAX_LENGTH = 128;

  /** What {@link #isValid} wants, as a field error's message. */
  public static final String RULE =
      "must be 1-" + MAX_LENGTH + " letters, digits, '.', '_', ':' or '-'";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private CorrelationIds() {}

  /** Whether {@code id} is a correlation id as it stands (nothing is stripped); false for null. */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }
}
