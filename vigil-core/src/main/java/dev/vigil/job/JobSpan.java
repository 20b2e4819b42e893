package dev.vigil.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A recorded span of one attempt: what the handler (or a remote worker) timed, when it started and
 * how long it took, with a few bounded attributes. Durations keep microseconds.
 *
 * @param name what was timed, e.g. {@code llm_call}: 1 to {@value #MAX_NAME} letters, digits,
 *     {@code _ . : -}
 * @param start when it started
 * @param duration how long it took, not negative
 * @param attributes small facts about it, at most {@value #MAX_ATTRIBUTES}, keys like names and
 *     values of at most {@value #MAX_VALUE} characters
 */
public record JobSpan(String name, Instant start, Duration duration, Map<String, String> attributes) {

  /** Longest span name. */
  public static final int MAX_NAME = 64;

  /** Most attributes per span. */
  public static final int MAX_ATTRIBUTES = 16;

  /** Longest attribute value; longer values are cut. */
  public static final int MAX_VALUE = 256;

  /** Most spans recorded per attempt; later ones are dropped. */
  public static final int MAX_PER_ATTEMPT = 100;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1," + MAX_NAME + "}");

  public JobSpan {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "span name must be 1-" + MAX_NAME + " letters, digits, '_', '.', ':' or '-'");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("span duration must not be negative");
    }
    duration = Duration.ofNanos(duration.toNanos() / 1_000 * 1_000);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("a span has at most " + MAX_ATTRIBUTES + " attributes");
    }
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      if (!isValidName(a.getKey()) || a.getValue().length() > MAX_VALUE) {
        throw new IllegalArgumentException(
            "span attribute keys are names like span names, values at most " + MAX_VALUE + " characters");
      }
    }
  }

  /** Whether {@code name} may name a span or an attribute. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** A value cut to {@value #MAX_VALUE} characters. */
  public static String boundedValue(String value) {
    String v = String.valueOf(value);
    return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE);
  }
}
