package dev.vigil.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Masks the values of sensitive fields ({@code password}, {@code content}, {@code message}, …) in
 * text that looks like JSON, whatever the value holds.
 *
 * <p>Text that is one JSON document (it starts with {@code {} or {@code [}) is parsed: every
 * value of a named field is replaced, objects and arrays included, and every other string or
 * number is passed to the plain detectors. Anywhere else (JSON inside a log message or an error,
 * escaped JSON inside a JSON string, {@code name=value} pairs) the fields are found by pattern,
 * and their string, number or boolean values are masked. Field names match case-insensitively,
 * and a {@code *} in a name stands for any run of characters ({@code *secret*}). In a {@code
 * name=value} pair an authorization scheme before the value is masked with it ({@code
 * authorization=Bearer abc} loses both words), so the credential never stays behind its scheme.
 */
final class JsonFields {
  static final String MASK = "[redacted]";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> names;
  private final Set<String> exact;
  private final List<Glob> globs;

  JsonFields(Collection<String> fieldNames) {
    this.names = fieldNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.exact = names.stream().filter(n -> n.indexOf('*') < 0).collect(Collectors.toUnmodifiableSet());
    this.globs = names.stream().filter(n -> n.indexOf('*') >= 0).sorted().map(Glob::of).toList();
  }

  /** Whether the values of the field {@code key} are masked. */
  boolean masks(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (exact.contains(k)) {
      return true;
    }
    for (Glob g : globs) {
      if (g.matches(k)) {
        return true;
      }
    }
    return false;
  }

  /** The field names, lower case. */
  Set<String> names() {
    return names;
  }

  /**
   * {@code text} with sensitive field values masked; for a whole JSON document, other strings and
   * numbers pass through {@code plain}, which should mask JSON inside them ({@link #embedded}).
   */
  String redact(String text, UnaryOperator<String> plain) {
    if (names.isEmpty()) {
      return text;
    }
    String document = whole(text, plain);
    return document != null ? document : embedded(text);
  }

  /**
   * {@code text} with the fields of JSON inside it ({@code "name": value}), of escaped JSON ({@code
   * \"name\": value}) and {@code name=value} pairs masked. One pass over the text: each {@code :}
   * and {@code =} is a candidate, and the name before it is read backwards and looked up, so the
   * cost does not grow with the number of names.
   */
  String embedded(String text) {
    if (names.isEmpty() || (text.indexOf(':') < 0 && text.indexOf('=') < 0)) {
      return text;
    }
    StringBuilder out = null;
    int last = 0;
    int n = text.length();
    var separators = new Separators(text);
    for (int i = separators.next(0); i >= 0; i = separators.next(i + 1)) {
      char c = text.charAt(i);
      Span span = c == ':' ? quotedValue(text, i) : c == '=' ? pairValue(text, i, last) : null;
      if (span == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, span.start).append(span.mask);
      last = span.end;
      i = span.end - 1;
    }
    return out == null ? text : out.append(text, last, n).toString();
  }

  private static final String QUOTED_MASK = "\"" + MASK + "\"";
  private static final String ESCAPED_MASK = "\\\"" + MASK + "\\\"";

  /** A value to replace, and what replaces it. */
  private record Span(int start, int end, String mask) {}

  /**
   * For the {@code :} at {@code colon}: when a quoted (or escaped-quoted) sensitive name precedes
   * it and a string, number or boolean follows, the value, to become {@code "[redacted]"} (or
   * {@code \"[redacted]\"} in escaped JSON); otherwise null.
   */
  private Span quotedValue(String text, int colon) {
    int k = colon - 1;
    while (k >= 0 && Character.isWhitespace(text.charAt(k))) {
      k--;
    }
    if (k < 1 || text.charAt(k) != '"') {
      return null;
    }
    boolean escaped = text.charAt(k - 1) == '\\';
    int nameEnd = escaped ? k - 1 : k;
    int q = nameEnd - 1;
    while (q >= 0 && text.charAt(q) != '"' && text.charAt(q) != '\\') {
      q--;
    }
    if (q < 0 || text.charAt(q) != '"' || (escaped != (q > 0 && text.charAt(q - 1) == '\\'))) {
      return null;
    }
    if (!masks(text.substring(q + 1, nameEnd))) {
      return null;
    }
    int v = colon + 1;
    while (v < text.length() && Character.isWhitespace(text.charAt(v))) {
      v++;
    }
    int end = escaped ? escapedString(text, v) : quotedString(text, v);
    if (end < 0) {
      end = scalar(text, v);
    }
    return end < 0 ? null : new Span(v, end, escaped ? ESCAPED_MASK : QUOTED_MASK);
  }

  /** The end of the JSON string starting at {@code v}, or -1. */
  private static int quotedString(String text, int v) {
    if (v >= text.length() || text.charAt(v) != '"') {
      return -1;
    }
    for (int i = v + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The end of the escaped JSON string ({@code \"…\"}) starting at {@code v}, or -1. */
  private static int escapedString(String text, int v) {
    if (!text.startsWith("\\\"", v)) {
      return -1;
    }
    for (int i = v + 2; i + 1 < text.length(); i++) {
      if (text.charAt(i) == '\\' && text.charAt(i + 1) == '"') {
        return i + 2;
      }
    }
    return -1;
  }

  /** The end of a number, {@code true} or {@code false} starting at {@code v}, or -1. */
  private static int scalar(String text, int v) {
    if (text.startsWith("true", v)) {
      return v + 4;
    }
    if (text.startsWith("false", v)) {
      return v + 5;
    }
    int i = v;
    if (i < text.length() && text.charAt(i) == '-') {
      i++;
    }
    if (i >= text.length() || !isDigit(text.charAt(i))) {
      return -1;
    }
    while (i < text.length() && (isDigit(text.charAt(i)) || ".eE+-".indexOf(text.charAt(i)) >= 0)) {
      i++;
    }
    return i;
  }

  /**
   * For the {@code =} at {@code eq}: when a sensitive name ends right before it (the whole word, or
   * the part after a dot: {@code spring.datasource.password}) and a value follows, the value's span
   * (with an authorization scheme before it: {@code Bearer abc}), to become {@code [redacted]};
   * otherwise null. {@code =>} is left to the {@code assignment} detector.
   */
  private Span pairValue(String text, int eq, int floor) {
    if (eq + 1 < text.length() && text.charAt(eq + 1) == '>') {
      return null;
    }
    int k = eq - 1;
    while (k >= floor && Character.isWhitespace(text.charAt(k))) {
      k--;
    }
    int nameEnd = k + 1;
    while (k >= floor && isNameChar(text.charAt(k))) {
      k--;
    }
    boolean sensitive = false;
    for (int start = k + 1; start < nameEnd && !sensitive; start++) {
      if (start == k + 1 || text.charAt(start - 1) == '.') {
        sensitive = masks(text.substring(start, nameEnd));
      }
    }
    if (!sensitive) {
      return null;
    }
    int v = eq + 1;
    while (v < text.length() && Character.isWhitespace(text.charAt(v))) {
      v++;
    }
    int value = v;
    int word = v;
    while (word < text.length() && Character.isLetter(text.charAt(word))) {
      word++;
    }
    if (word < text.length() && Character.isWhitespace(text.charAt(word)) && isScheme(text, v, word)) {
      value = word;
      while (value < text.length() && Character.isWhitespace(text.charAt(value))) {
        value++;
      }
    }
    int end = value;
    while (end < text.length() && PAIR_STOP.indexOf(text.charAt(end)) < 0 && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    return end == value ? null : new Span(v, end, MASK);
  }

  private static final String PAIR_STOP = "&,;\"'{}[]";

  private static boolean isScheme(String text, int from, int to) {
    int len = to - from;
    return (len == 6 && text.regionMatches(true, from, "bearer", 0, 6))
        || (len == 5 && text.regionMatches(true, from, "basic", 0, 5))
        || (len == 5 && text.regionMatches(true, from, "token", 0, 5));
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '.' || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A field name with {@code *} wildcards, lower case: the parts between the stars, in order. */
  record Glob(String[] parts, boolean anchoredStart, boolean anchoredEnd) {
    static Glob of(String pattern) {
      String[] parts = java.util.Arrays.stream(pattern.split("\\*")).filter(p -> !p.isEmpty()).toArray(String[]::new);
      return new Glob(parts, !pattern.startsWith("*"), !pattern.endsWith("*"));
    }

    boolean matches(String name) {
      int from = 0;
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        if (i == 0 && anchoredStart) {
          if (!name.startsWith(part)) {
            return false;
          }
          from = part.length();
        } else if (i == parts.length - 1 && anchoredEnd) {
          return name.length() - part.length() >= from && name.endsWith(part);
        } else {
          int at = name.indexOf(part, from);
          if (at < 0) {
            return false;
          }
          from = at + part.length();
        }
      }
      return !anchoredEnd || from == name.length() || parts.length == 0;
    }
  }

  /** The redacted document when {@code text} is one JSON object or array; otherwise null. */
  private String whole(String text, UnaryOperator<String> plain) {
    String t = text.strip();
    if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) {
      return null;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(t);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (tree == null || !tree.isContainerNode()) {
      return null;
    }
    boolean[] changed = new boolean[1];
    visit(tree, plain, changed);
    return changed[0] ? tree.toString() : text;
  }

  /** Rewrites containers in place, setting {@code changed[0]} when a value was masked. */
  private void visit(JsonNode node, UnaryOperator<String> plain, boolean[] changed) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.properties().forEach(fields::add);
      for (Map.Entry<String, JsonNode> f : fields) {
        if (masks(f.getKey())) {
          if (!f.getValue().isNull()) {
            object.set(f.getKey(), TextNode.valueOf(MASK));
            changed[0] = true;
          }
        } else {
          JsonNode replaced = value(f.getValue(), plain, changed);
          if (replaced != null) {
            object.set(f.getKey(), replaced);
          } else {
            visit(f.getValue(), plain, changed);
          }
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode replaced = value(array.get(i), plain, changed);
        if (replaced != null) {
          array.set(i, replaced);
        } else {
          visit(array.get(i), plain, changed);
        }
      }
    }
  }

  /** A replacement for a string or number the plain detectors change; null otherwise. */
  private static JsonNode value(JsonNode v, UnaryOperator<String> plain, boolean[] changed) {
    if (!v.isTextual() && !v.isNumber()) {
      return null;
    }
    String s = v.asText();
    String r = plain.apply(s);
    if (r.equals(s)) {
      return null;
    }
    changed[0] = true;
    return TextNode.valueOf(r);
  }

}
