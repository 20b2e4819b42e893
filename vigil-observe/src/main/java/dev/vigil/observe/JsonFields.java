package dev.vigil.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private final Pattern globs;
  private final Pattern quoted;
  private final Pattern escaped;
  private final Pattern keyValue;

  JsonFields(Collection<String> fieldNames) {
    this.names = fieldNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.exact = names.stream().filter(n -> n.indexOf('*') < 0).collect(Collectors.toUnmodifiableSet());
    List<String> wild = names.stream().filter(n -> n.indexOf('*') >= 0).sorted().toList();
    int flags = Pattern.CASE_INSENSITIVE;
    this.globs = wild.isEmpty() ? null : Pattern.compile(alternatives(wild, ".*"), flags);
    String inQuotes = alternatives(names, "[^\"\\\\]*");
    String bare = alternatives(names, "[\\w.-]*");
    quoted =
        Pattern.compile("(\"(?:" + inQuotes + ")\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d[\\d.eE+-]*|true|false)", flags);
    escaped =
        Pattern.compile(
            "(\\\\\"(?:" + inQuotes + ")\\\\\"\\s*:\\s*)(\\\\\"(?:[^\\\\]|\\\\(?!\"))*\\\\\"|-?\\d[\\d.eE+-]*|true|false)",
            flags);
    keyValue =
        Pattern.compile(
            "(?<![\\w-])((?:" + bare + ")\\s*=(?!>)\\s*)((?:(?:bearer|basic|token)\\s+)?[^\\s&,;\"'{}\\[\\]]+)", flags);
  }

  /**
   * The names as alternatives of a regular expression: each quoted, a {@code *} becoming {@code
   * any} (what a wildcard may match where the name is found). Exact names come first, so that a
   * search tries the cheap literals before the wildcards.
   */
  private static String alternatives(Collection<String> names, String any) {
    return names.stream()
        .sorted(Comparator.comparing((String n) -> n.indexOf('*') >= 0).thenComparing(n -> n))
        .map(n -> glob(n, any))
        .collect(Collectors.joining("|"));
  }

  private static String glob(String name, String any) {
    var b = new StringBuilder();
    int from = 0;
    for (int star = name.indexOf('*'); star >= 0; star = name.indexOf('*', from)) {
      if (star > from) {
        b.append(Pattern.quote(name.substring(from, star)));
      }
      b.append(any);
      from = star + 1;
    }
    if (from < name.length()) {
      b.append(Pattern.quote(name.substring(from)));
    }
    return b.toString();
  }

  /** Whether the values of the field {@code key} are masked. */
  boolean masks(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return exact.contains(k) || (globs != null && globs.matcher(k).matches());
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

  /** {@code text} with the fields of JSON inside it, escaped JSON and {@code name=value} pairs masked. */
  String embedded(String text) {
    if (names.isEmpty()) {
      return text;
    }
    String out = text;
    if (out.indexOf('"') >= 0) {
      out = replace(quoted, out, "\"" + MASK + "\"");
      if (out.indexOf('\\') >= 0) {
        out = replace(escaped, out, "\\\\\"" + MASK + "\\\\\"");
      }
    }
    if (out.indexOf('=') >= 0) {
      out = replace(keyValue, out, MASK);
    }
    return out;
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

  private static String replace(Pattern pattern, String text, String mask) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      out.append(text, last, m.start(2)).append(mask);
      last = m.end(2);
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }
}
