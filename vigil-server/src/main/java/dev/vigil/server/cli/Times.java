package dev.vigil.server.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Time options as the list routes take them: an RFC 3339 time, or an age sent as relative time. */
final class Times {
  private static final Pattern AGE = Pattern.compile("-?\\d{1,9}[smhd]");

  private Times() {}

  /**
   * {@code value} as a query parameter: an age ({@code 2h} or {@code -2h}) as the API's relative
   * time {@code -2h}, an RFC 3339 time as itself; null stays null.
   *
   * @throws ParameterException naming {@code option} when {@code value} is neither
   */
  static String relative(CommandLine cmd, String option, String value) {
    if (value == null) {
      return null;
    }
    String s = value.strip().toLowerCase(Locale.ROOT);
    if (AGE.matcher(s).matches()) {
      return s.startsWith("-") ? s : "-" + s;
    }
    try {
      return Instant.parse(value.strip()).toString();
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          cmd, option + " wants an RFC 3339 time (2026-01-01T08:00:00Z) or an age (2h), not '" + value + "'");
    }
  }
}
