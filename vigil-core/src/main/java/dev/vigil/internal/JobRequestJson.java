package dev.vigil.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.JobRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes a {@link JobRequest} as the JSON object of the HTTP enqueue request ({@code
 * type, lane, payload, run_at, delay_ms, max_attempts, timeout_ms, unique_key, correlation_id,
 * parent_id, tags}). Used for stored schedule templates and by the HTTP layer. Internal: not part
 * of Vigil's API.
 */
public final class JobRequestJson {
  private static final Set<String> FIELDS =
      Set.of(
          "type", "lane", "payload", "run_at", "delay_ms", "max_attempts", "timeout_ms",
          "unique_key", "correlation_id", "parent_id", "tags", "limit_keys", "concurrency_key", "cost");

  private JobRequestJson() {}

  /**
   * Reads a request, reporting every unknown field and every field of the wrong JSON type.
   *
   * @throws InvalidRequestException naming each bad field
   */
  public static JobRequest read(JsonNode node, ObjectMapper mapper) {
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("", "a job must be a JSON object");
    }
    var errors = new ArrayList<FieldError>();
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field"));
              }
            });
    var fields = new Reader(node, errors);
    JobRequest.Builder b = JobRequest.builder(fields.text("type"));
    b.lane(fields.text("lane"));
    JsonNode payload = node.get("payload");
    if (payload != null && !payload.isNull()) {
      b.payloadJson(payload.toString());
    }
    String runAt = fields.text("run_at");
    if (runAt != null) {
      try {
        b.runAt(Instant.parse(runAt));
      } catch (DateTimeParseException e) {
        errors.add(new FieldError("run_at", "must be an RFC 3339 time, e.g. 2026-01-01T00:00:00Z"));
      }
    }
    Long delay = fields.integer("delay_ms");
    if (delay != null) {
      b.delay(Duration.ofMillis(delay));
    }
    Long maxAttempts = fields.integer("max_attempts");
    if (maxAttempts != null) {
      b.maxAttempts((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, maxAttempts)));
    }
    Long timeout = fields.integer("timeout_ms");
    if (timeout != null) {
      b.timeout(Duration.ofMillis(timeout));
    }
    b.uniqueKey(fields.text("unique_key"));
    b.correlationId(fields.text("correlation_id"));
    b.parentId(fields.text("parent_id"));
    b.tags(fields.textList("tags"));
    b.limitKeys(fields.textList("limit_keys"));
    b.concurrencyKey(fields.text("concurrency_key"));
    b.cost(fields.integer("cost"));
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return b.build();
  }

  /** Writes a request in the same shape {@link #read} reads; the payload becomes a JSON value. */
  public static ObjectNode write(JobRequest request, ObjectMapper mapper) {
    ObjectNode node = mapper.createObjectNode();
    node.put("type", request.type());
    putIfSet(node, "lane", request.lane());
    try {
      if (request.payloadJson() != null) {
        node.set("payload", mapper.readTree(request.payloadJson()));
      } else if (request.payload() != null) {
        node.set("payload", mapper.valueToTree(request.payload()));
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new InvalidRequestException("payload", "is not valid JSON");
    }
    if (request.runAt() != null) {
      node.put("run_at", request.runAt().toString());
    }
    if (request.delay() != null) {
      node.put("delay_ms", request.delay().toMillis());
    }
    if (request.maxAttempts() != null) {
      node.put("max_attempts", request.maxAttempts());
    }
    if (request.timeout() != null) {
      node.put("timeout_ms", request.timeout().toMillis());
    }
    putIfSet(node, "unique_key", request.uniqueKey());
    putIfSet(node, "correlation_id", request.correlationId());
    putIfSet(node, "parent_id", request.parentId());
    if (!request.tags().isEmpty()) {
      var tags = node.putArray("tags");
      request.tags().forEach(tags::add);
    }
    return node;
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** Reads typed fields of one object, recording a field error for each wrong JSON type. */
  private record Reader(JsonNode node, List<FieldError> errors) {

    String text(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        errors.add(new FieldError(field, "must be a string"));
        return null;
      }
      return v.textValue();
    }

    Long integer(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        errors.add(new FieldError(field, "must be an integer"));
        return null;
      }
      return v.longValue();
    }

    List<String> textList(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        errors.add(new FieldError(field, "must be an array of strings"));
        return List.of();
      }
      var out = new ArrayList<String>();
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          errors.add(new FieldError(field, "must be an array of strings"));
          return List.of();
        }
        out.add(item.textValue());
      }
      return out;
    }
  }
}
