package dev.vigil.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.InvalidRequestException.FieldError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds what Jackson reads from JSON text but nothing can store or write back as it came: text
 * holding an unpaired UTF-16 surrogate (<code>"&#92;ud800"</code> is a valid JSON escape, yet no Unicode
 * text: UTF-8 cannot encode it, so a store keeps {@code ?} and writing it out fails), and a number
 * beyond a 64-bit float ({@code 1e999999} reads as infinity and is written back as the string
 * {@code "Infinity"}). Such values are refused before anything is stored. Internal: not part of
 * Vigil's API.
 */
public final class JsonText {
  /** The most problems reported for one value; the rest are left out. */
  public static final int MAX_PROBLEMS = 20;

  static final String NOT_UNICODE = "is not valid Unicode text: it holds an unpaired UTF-16 surrogate";
  static final String KEY_NOT_UNICODE = "has a field name that is not valid Unicode text (an unpaired UTF-16 surrogate)";
  static final String OUT_OF_RANGE = "is a number beyond the range of a 64-bit float (about 1.8e308)";
  private static final int MAX_SHOWN_KEY = 64;

  private record Item(JsonNode node, String path) {}

  private JsonText() {}

  /** Whether every surrogate of {@code s} is half of a pair: text that UTF-8 can encode. */
  public static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The values in {@code node} that cannot be stored as they came, at most {@link #MAX_PROBLEMS},
   * each named by its path from {@code path}: {@code payload.items[2].name}. A field name that is
   * not valid text is reported on the object that holds it, without the name.
   *
   * @param path the name of {@code node} itself, e.g. {@code payload}; empty for a whole body
   */
  public static List<FieldError> problems(JsonNode node, String path) {
    var problems = new ArrayList<FieldError>();
    var todo = new ArrayDeque<Item>();
    todo.push(new Item(node, path));
    while (!todo.isEmpty() && problems.size() < MAX_PROBLEMS) {
      Item item = todo.pop();
      JsonNode n = item.node();
      if (n.isTextual() && !isWellFormed(n.textValue())) {
        problems.add(new FieldError(item.path(), NOT_UNICODE));
      } else if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
        problems.add(new FieldError(item.path(), OUT_OF_RANGE));
      } else if (n.isArray()) {
        for (int i = n.size() - 1; i >= 0; i--) {
          todo.push(new Item(n.get(i), item.path() + "[" + i + "]"));
        }
      } else if (n.isObject()) {
        var fields = new ArrayList<Map.Entry<String, JsonNode>>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          fields.add(it.next());
        }
        boolean badKey = false;
        for (int i = fields.size() - 1; i >= 0; i--) {
          String key = fields.get(i).getKey();
          if (isWellFormed(key)) {
            todo.push(new Item(fields.get(i).getValue(), child(item.path(), key)));
          } else {
            badKey = true;
          }
        }
        if (badKey) {
          problems.add(new FieldError(item.path(), KEY_NOT_UNICODE));
        }
      }
    }
    return problems;
  }

  private static String child(String path, String key) {
    String shown = key;
    if (key.length() > MAX_SHOWN_KEY) {
      int end = Character.isHighSurrogate(key.charAt(MAX_SHOWN_KEY - 1)) ? MAX_SHOWN_KEY - 1 : MAX_SHOWN_KEY;
      shown = key.substring(0, end) + "…";
    }
    return path.isEmpty() ? shown : path + "." + shown;
  }
}
