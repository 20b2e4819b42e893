package dev.vigil;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.JobSpan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Redacts a span's attributes before they are stored. The attributes go to the redactor as one
 * JSON object, so a redactor that knows sensitive field names ({@code prompt}, {@code email},
 * {@code message}, …) masks the value of such a key whole, and its detectors see every other
 * value; values are then cut to {@value JobSpan#MAX_VALUE} characters. A redactor whose answer is
 * not the same JSON object any more is applied to each value on its own instead.
 */
final class SpanAttributes {
  /** Longest value kept before redaction: enough for a redactor to see a whole token. */
  static final int MAX_RAW_VALUE = 4 * JobSpan.MAX_VALUE;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SpanAttributes() {}

  /** A value as kept until the span closes: cut to {@value #MAX_RAW_VALUE} characters. */
  static String raw(String value) {
    return value.length() <= MAX_RAW_VALUE ? value : value.substring(0, MAX_RAW_VALUE);
  }

  static Map<String, String> redact(Map<String, String> attributes, UnaryOperator<String> redactor) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    var out = new LinkedHashMap<String, String>();
    try {
      JsonNode redacted = JSON.readTree(redactor.apply(JSON.writeValueAsString(attributes)));
      if (redacted != null && redacted.isObject() && redacted.size() == attributes.size()) {
        for (String key : attributes.keySet()) {
          JsonNode v = redacted.get(key);
          if (v == null || !v.isValueNode()) {
            throw new IllegalStateException("the redactor changed the attributes' shape");
          }
          out.put(key, JobSpan.boundedValue(v.asText()));
        }
        return out;
      }
    } catch (JsonProcessingException | IllegalStateException e) {
      out.clear();
    }
    attributes.forEach((k, v) -> out.put(k, JobSpan.boundedValue(redactor.apply(v))));
    return out;
  }
}
