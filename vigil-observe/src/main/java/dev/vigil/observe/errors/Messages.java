package dev.vigil.observe.errors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises an error message for grouping, so that the same failure about different things reads
 * the same: URLs, e-mail addresses, UUIDs, dates and times, IP addresses, hexadecimal numbers and
 * hashes, ids that mix letters and digits, and then any other number become placeholders ({@code
 * <url>}, {@code <email>}, {@code <uuid>}, {@code <date>}, {@code <ip>}, {@code <hex>}, {@code
 * <id>}, {@code <n>}), whitespace runs become one space, and the result is cut to {@value #MAX}
 * characters. The redactor's own masks ({@code [email]}, {@code [token]}, …) stay as they are.
 */
final class Messages {
  static final int MAX = 300;

  private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s'\"<>)\\]]+");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
  private static final Pattern UUID =
      Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
  private static final Pattern DATE =
      Pattern.compile(
          "\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?"
              + "|\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b");
  private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");
  private static final Pattern IPV6 = Pattern.compile("(?<![\\w.:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?![\\w.:])");
  private static final Pattern HEX = Pattern.compile("\\b0[xX][0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\\b");
  private static final Pattern ID = Pattern.compile("\\b(?=[\\w-]*\\d)(?=[\\w-]*[A-Za-z])[A-Za-z0-9][\\w-]{7,}\\b");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private Messages() {}

  /** The message normalised for grouping; an empty string for none. */
  static String normalise(String message) {
    if (message == null || message.isBlank()) {
      return "";
    }
    String m = message;
    m = URL.matcher(m).replaceAll("<url>");
    m = EMAIL.matcher(m).replaceAll("<email>");
    m = UUID.matcher(m).replaceAll("<uuid>");
    m = DATE.matcher(m).replaceAll("<date>");
    m = IPV4.matcher(m).replaceAll("<ip>");
    m = ipv6(m);
    m = HEX.matcher(m).replaceAll("<hex>");
    m = ID.matcher(m).replaceAll("<id>");
    m = NUMBER.matcher(m).replaceAll("<n>");
    m = SPACE.matcher(m).replaceAll(" ").strip();
    return m.length() <= MAX ? m : m.substring(0, MAX);
  }

  /** IPv6 addresses: runs of hex groups and colons with at least one digit and a {@code ::} or seven colons. */
  private static String ipv6(String m) {
    Matcher matcher = IPV6.matcher(m);
    var out = new StringBuilder();
    while (matcher.find()) {
      String candidate = matcher.group();
      long colons = candidate.chars().filter(c -> c == ':').count();
      boolean address =
          candidate.chars().anyMatch(Character::isDigit) && (candidate.contains("::") || colons == 7);
      matcher.appendReplacement(out, address ? "<ip>" : Matcher.quoteReplacement(candidate));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
