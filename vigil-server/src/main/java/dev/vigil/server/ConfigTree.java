package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A configuration document (YAML read as a tree, with environment overrides written into it) and
 * typed reads of its values by dotted key. Each read names the value's source in its error: the
 * key itself for the file, or the environment variable that set it. Numbers and booleans may be
 * given as strings, since environment variables are always strings.
 */
final class ConfigTree {
  private final ObjectNode root;
  private final Map<String, String> sources = new HashMap<>();

  ConfigTree(ObjectNode root) {
    this.root = root;
  }

  /** Sets {@code key} (dotted) to a string value that came from environment variable {@code variable}. */
  void override(String key, String value, String variable) {
    String[] parts = key.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
    sources.put(key, variable);
  }

  /** How to name {@code key} in an error: the key, or {@code VARIABLE (key)} when the environment set it. */
  String label(String key) {
    String variable = sources.get(key);
    return variable == null ? key : variable + " (" + key + ")";
  }

  /**
   * Checks that the object at {@code key} (root when empty) has only {@code allowed} keys.
   *
   * @throws ConfigException for the first unknown key, or a section that is not a mapping
   */
  void requireKnownKeys(String key, Set<String> allowed) {
    JsonNode node = key.isEmpty() ? root : node(key);
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(label(key), "must be a mapping of keys");
    }
    requireKnownKeys(node, key, allowed);
  }

  /** As {@link #requireKnownKeys(String, Set)} for a node reached otherwise (a list item). */
  static void requireKnownKeys(JsonNode node, String label, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new ConfigException(label.isEmpty() ? name : label + "." + name, "unknown key");
      }
    }
  }

  Optional<String> text(String key) {
    JsonNode v = node(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw new ConfigException(label(key), "must be a string");
    }
    return Optional.of(v.asText());
  }

  OptionalLong integer(String key) {
    return integer(node(key), label(key));
  }

  OptionalInt int32(String key) {
    return int32(node(key), label(key));
  }

  Optional<Boolean> bool(String key) {
    return bool(node(key), label(key));
  }

  /**
   * A duration written with its unit ({@code 30s}, {@code 5m}, {@code 48h}); {@code examples} are
   * named in the error ({@code "10s, 15m or 48h"}).
   */
  Optional<Duration> duration(String key, String examples) {
    Optional<String> v = text(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Durations.parse(v.get())
        .orElseThrow(() -> new ConfigException(
            label(key), "must be a duration such as " + examples + " (got '" + shorten(v.get()) + "')")));
  }

  /** A value as an error shows it: at most 40 characters. */
  static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  /** A list of strings; a string value is split at commas (as environment variables give lists). */
  Optional<List<String>> textList(String key) {
    JsonNode v = node(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    var out = new ArrayList<String>();
    if (v.isTextual()) {
      for (String part : v.textValue().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return Optional.of(out);
    }
    if (!v.isArray()) {
      throw new ConfigException(label(key), "must be a list of strings");
    }
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new ConfigException(label(key), "must be a list of strings");
      }
      out.add(item.textValue());
    }
    return Optional.of(out);
  }

  JsonNode node(String key) {
    JsonNode node = root;
    for (String part : key.split("\\.")) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(part);
    }
    return node;
  }

  static OptionalLong integer(JsonNode v, String label) {
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return OptionalLong.of(v.longValue());
    }
    if (v.isTextual()) {
      try {
        return OptionalLong.of(Long.parseLong(v.textValue().trim().replace("_", "")));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new ConfigException(label, "must be an integer (got " + shown(v) + ")");
  }

  static OptionalInt int32(JsonNode v, String label) {
    OptionalLong n = integer(v, label);
    if (n.isEmpty()) {
      return OptionalInt.empty();
    }
    if (n.getAsLong() < Integer.MIN_VALUE || n.getAsLong() > Integer.MAX_VALUE) {
      throw new ConfigException(label, "is out of range (got " + n.getAsLong() + ")");
    }
    return OptionalInt.of((int) n.getAsLong());
  }

  static Optional<Boolean> bool(JsonNode v, String label) {
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isBoolean()) {
      return Optional.of(v.booleanValue());
    }
    if (v.isTextual() && Set.of("true", "false").contains(v.textValue().trim().toLowerCase())) {
      return Optional.of(Boolean.parseBoolean(v.textValue().trim()));
    }
    throw new ConfigException(label, "must be true or false (got " + shown(v) + ")");
  }

  static ObjectNode emptyRoot() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static String shown(JsonNode v) {
    String s = v.isTextual() ? "'" + v.textValue() + "'" : v.isContainerNode() ? v.getNodeType().name().toLowerCase() : v.toString();
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
