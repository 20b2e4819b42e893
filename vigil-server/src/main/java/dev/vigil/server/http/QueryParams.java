package dev.vigil.server.http;

import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading query-string parameters the way every list and query route does. */
final class QueryParams {
  static final String TIME_HINT =
      "must be an RFC 3339 time such as 2026-01-01T00:00:00Z, or relative such as -15m, -24h, -7d";

  private QueryParams() {}

  /** The last value given for {@code name}, or null when there is none or it is blank. */
  static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty() || values.getLast().isBlank()) {
      return null;
    }
    return values.getLast();
  }

  /**
   * The page size {@code limit} gives, 1 to {@code max}; {@code otherwise} when absent, and an
   * error added to {@code errors} when it is not such a number.
   */
  static int limit(Map<String, List<String>> params, int otherwise, int max, List<FieldError> errors) {
    String text = single(params, "limit");
    if (text == null) {
      return otherwise;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError("limit", "must be an integer between 1 and " + max));
    return otherwise;
  }

  /**
   * The time {@code field} gives, an RFC 3339 time or an age counted back from {@code now} ({@code
   * -15m}); empty when absent, and an error added to {@code errors} when it is neither.
   */
  static Optional<Instant> time(Map<String, List<String>> params, String field, Instant now, List<FieldError> errors) {
    String text = single(params, field);
    if (text == null) {
      return Optional.empty();
    }
    text = text.strip();
    Optional<Duration> back = Durations.parse(text.startsWith("-") ? text.substring(1) : text);
    if (back.isPresent()) {
      return Optional.of(now.minus(back.get()));
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, TIME_HINT));
      return Optional.empty();
    }
  }
}
