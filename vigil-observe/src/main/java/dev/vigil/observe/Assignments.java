package dev.vigil.observe;

import java.util.Set;

/**
 * The value after a credential's name and {@code =}, {@code :} or {@code =>}: {@code pwd=…},
 * {@code DB_PASSWORD=…}, {@code x-api-key: …}, {@code clientSecret: '…'}.
 *
 * <p>Design note: a regular expression that tries every name at every position of the text costs
 * several hundred microseconds on a 3 KB stack trace. This detector instead visits each {@code =}
 * and {@code :}, reads the name before it backwards and compares its ending with the few credential
 * words; a line without a separator costs one {@code indexOf}, a stack trace one look at each
 * {@code (File.java:42)}.
 *
 * <p>A name counts when it ends with a credential word at a boundary: the word is the whole name,
 * or follows {@code _ . -}, or starts a capitalised hump after a lower-case letter or digit
 * ({@code dbPassword}). So {@code bypass}, {@code compass}, {@code max_tokens}, {@code
 * secret_name} and {@code api_key_id} stay. The value is the quoted text (masked inside its quotes,
 * which stay) or the run of characters up to a space or one of {@code & , ; " ' < > { } [ ]}; a
 * value that is already a mask, or only stars ({@code ***}), stays.
 */
final class Assignments implements Detector {
  /** The endings of a credential's name, lower case. */
  private static final String[] WORDS = {
    "password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "credential", "credentials",
    "secretkey", "secret_key", "secret-key", "apikey", "api_key", "api-key", "accesskey", "access_key",
    "access-key", "privatekey", "private_key", "private-key"
  };

  /** The last letters of {@link #WORDS}: a name ending otherwise is no credential's. */
  private static final String LAST_LETTERS = "destnly";

  private static final String VALUE_STOP = "&,;\"'<>{}[]";

  private final String name;
  private final Set<String> masks;
  private final String mask;

  Assignments(String name, Set<String> masks, String mask) {
    this.name = name;
    this.masks = masks;
    this.mask = mask;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String redact(String text) {
    if (text.indexOf('=') < 0 && text.indexOf(':') < 0) {
      return text;
    }
    StringBuilder out = null;
    int last = 0;
    int n = text.length();
    var separators = new Separators(text);
    for (int i = separators.next(0); i >= 0; i = separators.next(i + 1)) {
      char c = text.charAt(i);
      if (!credentialBefore(text, i, last)) {
        continue;
      }
      int v = i + 1;
      if (v < n && ((c == '=' && text.charAt(v) == '>') || (c == ':' && text.charAt(v) == '='))) {
        v++; // => and :=
      }
      while (v < n && (text.charAt(v) == ' ' || text.charAt(v) == '\t')) {
        v++;
      }
      if (v < n && text.charAt(v) == '\\' && v + 1 < n && isQuote(text.charAt(v + 1))) {
        v++;
      }
      int start;
      int end;
      if (v < n && isQuote(text.charAt(v))) {
        start = v + 1;
        end = quotedEnd(text, start, text.charAt(v));
      } else {
        start = v;
        end = bareEnd(text, start);
      }
      if (end == start || isMask(text.substring(start, end))) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, last, start).append(mask);
      last = end;
      i = end - 1;
    }
    return out == null ? text : out.append(text, last, n).toString();
  }

  /** Whether a credential's name ends right before the separator at {@code sep}. */
  private static boolean credentialBefore(String text, int sep, int floor) {
    int k = sep - 1;
    while (k >= floor && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
      k--;
    }
    if (k >= floor && isQuote(text.charAt(k))) {
      k--;
      if (k >= floor && text.charAt(k) == '\\') {
        k--;
      }
    }
    int end = k + 1;
    if (end <= floor || LAST_LETTERS.indexOf(Character.toLowerCase(text.charAt(end - 1))) < 0) {
      return false;
    }
    int start = end;
    while (start > floor && isNameChar(text.charAt(start - 1))) {
      start--;
    }
    for (String word : WORDS) {
      int at = end - word.length();
      if (at >= start && text.regionMatches(true, at, word, 0, word.length()) && boundary(text, start, at)) {
        return true;
      }
    }
    return false;
  }

  private static boolean boundary(String text, int nameStart, int at) {
    if (at == nameStart) {
      return true;
    }
    char before = text.charAt(at - 1);
    if (before == '_' || before == '.' || before == '-') {
      return true;
    }
    return (Character.isLowerCase(before) || Character.isDigit(before)) && Character.isUpperCase(text.charAt(at));
  }

  /** The end of a value quoted by {@code quote} whose text starts at {@code from}. */
  private static int quotedEnd(String text, int from, char quote) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == quote || c == '\r' || c == '\n' || (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == quote)) {
        break;
      }
      i += c == '\\' ? 2 : 1;
    }
    return Math.min(i, text.length());
  }

  /** The end of an unquoted value: a space, a delimiter, or a backslash before a quote. */
  private static int bareEnd(String text, int from) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || VALUE_STOP.indexOf(c) >= 0) {
        break;
      }
      if (c == '\\' && i + 1 < text.length() && isQuote(text.charAt(i + 1))) {
        break;
      }
      i++;
    }
    return i;
  }

  private boolean isMask(String value) {
    if (masks.contains(value)) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) != '*') {
        return false;
      }
    }
    return true;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  }
}
