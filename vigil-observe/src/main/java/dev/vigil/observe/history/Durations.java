package dev.vigil.observe.history;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in configuration and queries: a whole number and a unit, {@code
 * 500ms}, {@code 10s}, {@code 15m}, {@code 48h}, {@code 30d}.
 */
public final class Durations {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d|w)");

  private Durations() {}

  /**
   * The duration {@code text} names, or empty when it is not {@code 0} or a whole number followed by
   * ms, s, m, h, d or w.
   */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.strip().equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher m = TEXT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        });
  }

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException saying what a duration looks like, when it is not one
   */
  public static Duration require(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException(
        "must be a duration such as 30s, 5m, 4h or 3d (got '" + (text != null && text.length() > 40 ? text.substring(0, 40) + "…" : text) + "')"));
  }

  /** The shortest text {@link #parse} reads back as {@code d}: {@code 10s}, {@code 48h}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms != 0 && ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms != 0 && ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1_000L == 0) {
      return ms / 1_000L + "s";
    }
    return ms + "ms";
  }
}
