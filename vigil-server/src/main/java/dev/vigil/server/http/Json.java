package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * JSON in and out of the HTTP layer: one strict mapper (duplicate keys and trailing content are
 * errors), and small helpers to write answers. Times are written as RFC 3339 UTC strings,
 * durations as milliseconds, stored JSON (payloads, results) as raw JSON values.
 */
final class Json {
  /** Immutable once built; shared by every request. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static final String CONTENT_TYPE = "application/json";
  static final String PROBLEM_CONTENT_TYPE = "application/problem+json";

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Answers {@code status} with {@code body} as {@code application/json}. */
  static void send(Context ctx, int status, JsonNode body) {
    send(ctx, status, CONTENT_TYPE, body);
  }

  static void send(Context ctx, int status, String contentType, JsonNode body) {
    try {
      ctx.status(status).contentType(contentType).result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void putTime(ObjectNode node, String field, Instant at) {
    if (at == null) {
      node.putNull(field);
    } else {
      node.put(field, at.toString());
    }
  }

  static void putMillis(ObjectNode node, String field, Duration d) {
    if (d == null) {
      node.putNull(field);
    } else {
      node.put(field, d.toMillis());
    }
  }

  /** Puts stored JSON text as a JSON value (not a string); {@code null} text as JSON null. */
  static void putRaw(ObjectNode node, String field, String json) {
    if (json == null) {
      node.putNull(field);
    } else {
      node.putRawValue(field, new RawValue(json));
    }
  }
}
