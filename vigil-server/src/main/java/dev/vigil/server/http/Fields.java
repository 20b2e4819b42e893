package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of one JSON object's fields that collect every problem instead of stopping at the
 * first: unknown fields, wrong JSON types, missing required fields, values out of range. {@link
 * #done()} then throws them all at once as an {@link InvalidRequestException}, which answers 400.
 * Field names are reported with the reader's prefix, e.g. {@code error.type}.
 */
final class Fields {
  private final JsonNode node;
  private final String prefix;
  private final List<FieldError> errors = new ArrayList<>();

  private Fields(JsonNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  /** A reader of {@code node}'s fields; fields not in {@code allowed} are reported as unknown. */
  static Fields of(JsonNode node, String prefix, Set<String> allowed) {
    var f = new Fields(node, prefix);
    if (node == null || !node.isObject()) {
      f.error("", "must be a JSON object");
      return f;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        f.error(name, "unknown field");
      }
    }
    return f;
  }

  String text(String field) {
    JsonNode v = value(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      return wrongType(field, "must be a string");
    }
    return v.textValue();
  }

  String requiredText(String field) {
    String v = text(field);
    if (v == null && absent(field)) {
      error(field, "is required");
    } else if (v != null && v.isBlank()) {
      error(field, "must not be blank");
    }
    return v;
  }

  Long integer(String field) {
    JsonNode v = value(field);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      return wrongType(field, "must be an integer");
    }
    return v.longValue();
  }

  Double number(String field) {
    JsonNode v = value(field);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      return wrongType(field, "must be a number");
    }
    return v.doubleValue();
  }

  Boolean bool(String field) {
    JsonNode v = value(field);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      return wrongType(field, "must be true or false");
    }
    return v.booleanValue();
  }

  List<String> textList(String field) {
    JsonNode v = value(field);
    if (v == null) {
      return List.of();
    }
    var out = new ArrayList<String>();
    if (v.isArray()) {
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          break;
        }
        out.add(item.textValue());
      }
      if (out.size() == v.size()) {
        return out;
      }
    }
    wrongType(field, "must be an array of strings");
    return List.of();
  }

  /** A field that must be a JSON object, or {@code null} when absent. */
  ObjectNode object(String field) {
    JsonNode v = value(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof ObjectNode o)) {
      return wrongType(field, "must be a JSON object");
    }
    return o;
  }

  /** The raw value, or {@code null} when absent or JSON null. */
  JsonNode value(String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  /** Records {@code message} for {@code field} unless {@code ok}. */
  void check(boolean ok, String field, String message) {
    if (!ok) {
      error(field, message);
    }
  }

  void error(String field, String message) {
    errors.add(new FieldError(field.isEmpty() ? stripDot(prefix) : prefix + field, message));
  }

  /** The problems found so far. */
  List<FieldError> errors() {
    return List.copyOf(errors);
  }

  /**
   * @throws InvalidRequestException naming every problem found, if any
   */
  void done() {
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  private boolean absent(String field) {
    return value(field) == null;
  }

  private <T> T wrongType(String field, String message) {
    error(field, message);
    return null;
  }

  private static String stripDot(String prefix) {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }
}
