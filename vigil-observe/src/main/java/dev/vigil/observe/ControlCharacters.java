package dev.vigil.observe;

/**
 * Shows the characters that could break a line or drive a terminal as visible escapes, so text
 * from outside (a remote worker's error message, a worker id, a payload echoed in a message)
 * stays on its line and cannot clear a screen, set a window title or pass for a line of its own.
 * Vigil's text log layout ({@link OneLineLayout}) and the CLI's tables and detail views use it; the
 * JSON log format escapes by itself.
 *
 * <p>What is escaped, and how:
 *
 * <ul>
 *   <li>line feed, carriage return and tab as {@code \n}, {@code \r}, {@code \t};
 *   <li>every other C0 control (U+0000 to U+001F, ESC among them), DEL (U+007F) and every C1
 *       control (U+0080 to U+009F) as a backslash, {@code u} and four lower-case hex digits, the
 *       way JSON and Java write them: ESC reads <code>&#92;u001b</code>;
 *   <li>likewise the Unicode line and paragraph separators (U+2028, U+2029), which some viewers
 *       break lines at, and the bidirectional embeddings, overrides and isolates (U+202A to
 *       U+202E, U+2066 to U+2069), which reorder what a reader sees.
 * </ul>
 *
 * <p>Everything else, a backslash included, stays as it is: the escapes are for the eye, not a
 * reversible encoding (a literal backslash followed by {@code n} reads like an escaped newline;
 * the JSON format is exact).
 */
public final class ControlCharacters {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ControlCharacters() {}

  /** Whether {@code c} is escaped by {@link #escape}. */
  public static boolean isEscaped(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /**
   * {@code text} with every character {@link #isEscaped} shown as an escape; the same instance when
   * there is none, and {@code null} for {@code null}.
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int first = 0;
    while (first < text.length() && !isEscaped(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    var sb = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isEscaped(c)) {
        sb.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default ->
            sb.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }
}
