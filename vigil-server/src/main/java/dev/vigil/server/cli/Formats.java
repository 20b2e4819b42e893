package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;

/** How the CLI shows JSON values, times and durations to people. */
final class Formats {
  private Formats() {}

  /** The field's text, or {@code null} when it is missing or JSON null. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.isMissingNode()
        ? null
        : v.isValueNode() ? v.asText() : v.toString();
  }

  /**
   * A duration in milliseconds, shortened: {@code 850ms}, {@code 4.2s}, {@code 3m05s}, {@code
   * 2h04m}.
   */
  static String millis(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
  }

  /**
   * A window as configuration writes it when it is a whole number of days, hours, minutes or
   * seconds ({@code 1m}, {@code 10s}); otherwise as {@link #millis(long)}.
   */
  static String window(long ms) {
    long[] units = {86_400_000, 3_600_000, 60_000, 1000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i] && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return millis(ms);
  }

  /** A millisecond field as {@link #millis}, or {@code null}. */
  static String millis(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isNumber() ? null : millis(v.asLong());
  }

  /**
   * How long ago an RFC 3339 time was, e.g. {@code 12s ago} or {@code in 4.0s}; null stays null.
   */
  static String age(String rfc3339, Instant now) {
    Instant t = instant(rfc3339);
    if (t == null) {
      return rfc3339;
    }
    long ms = Duration.between(t, now).toMillis();
    return ms >= 0 ? millis(ms) + " ago" : "in " + millis(-ms);
  }

  /** An RFC 3339 time cut to whole seconds for display, e.g. {@code 2026-11-24 08:40:01Z}. */
  static String time(String rfc3339) {
    Instant t = instant(rfc3339);
    return t == null
        ? rfc3339
        : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ');
  }

  /** Text as one line of at most {@code max} characters, its control characters escaped. */
  static String line(String text, int max) {
    if (text == null) {
      return null;
    }
    String line = Terminal.escape(text.replaceAll("\\s*\\R\\s*", " "));
    return line.length() > max ? line.substring(0, max - 1) + "…" : line;
  }

  /**
   * A JSON number for people: whole numbers as they are, others to two decimals (three significant
   * digits below 1), e.g. {@code 12}, {@code 5.23}, {@code 0.0417}; anything else as its text.
   */
  static String number(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (!v.isNumber()) {
      return v.asText();
    }
    double d = v.asDouble();
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    BigDecimal n = BigDecimal.valueOf(d);
    n = Math.abs(d) >= 1 ? n.setScale(2, RoundingMode.HALF_UP) : n.round(new MathContext(3));
    return n.stripTrailingZeros().toPlainString();
  }

  /**
   * A JSON object of strings as {@code key=value} pairs on one line, keys in {@code without} left
   * out, as {@link #line}; null (a table's {@code -}) when none is left.
   */
  static String pairs(JsonNode object, Set<String> without, int max) {
    var pairs = new ArrayList<String>();
    object.properties().forEach(e -> {
      if (!without.contains(e.getKey())) {
        pairs.add(e.getKey() + "=" + e.getValue().asText());
      }
    });
    return pairs.isEmpty() ? null : line(String.join(", ", pairs), max);
  }

  private static Instant instant(String rfc3339) {
    if (rfc3339 == null) {
      return null;
    }
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
