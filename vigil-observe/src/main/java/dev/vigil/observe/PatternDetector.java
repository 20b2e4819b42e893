package dev.vigil.observe;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detector made of a regular expression, an optional check that a match really is what it looks
 * like (a Luhn check, an address parse), a cheap pre-test that skips the expression for text that
 * cannot match, and the mask that replaces a confirmed match (or only its group 1, when the
 * pattern keeps a prefix such as {@code Bearer }).
 */
final class PatternDetector implements Detector {
  private final String name;
  private final Pattern pattern;
  private final Predicate<String> confirm;
  private final Predicate<String> mayMatch;
  private final String mask;

  PatternDetector(String name, Pattern pattern, Predicate<String> confirm, Predicate<String> mayMatch, String mask) {
    this.name = name;
    this.pattern = pattern;
    this.confirm = confirm;
    this.mayMatch = mayMatch;
    this.mask = mask;
  }

  /** Masks every match of {@code pattern}. */
  static PatternDetector of(String name, Pattern pattern, String mask) {
    return new PatternDetector(name, pattern, s -> true, s -> true, mask);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String redact(String text) {
    if (!mayMatch.test(text)) {
      return text;
    }
    Matcher m = pattern.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      boolean prefixed = m.groupCount() >= 1 && m.group(1) != null;
      String candidate = prefixed ? m.group(1) : m.group();
      if (!confirm.test(candidate)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      int start = prefixed ? m.start(1) : m.start();
      int end = prefixed ? m.end(1) : m.end();
      out.append(text, last, start).append(mask);
      last = end;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }
}
