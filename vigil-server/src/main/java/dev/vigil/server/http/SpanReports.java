package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.JobSpan;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code spans} a remote worker reports with {@code complete} or {@code fail}: {@code
 * [{"name","start","duration_ms","attributes"}]}, at most {@value JobSpan#MAX_PER_ATTEMPT}. Names
 * and attribute keys are 1 to {@value JobSpan#MAX_NAME} letters, digits, {@code _ . : -}; {@code
 * start} is an RFC 3339 time; {@code duration_ms} a number from 0 to a day (fractions keep
 * microseconds); attribute values are strings, numbers or booleans, at most {@value
 * JobSpan#MAX_ATTRIBUTES} of them, kept as text of at most {@value JobSpan#MAX_VALUE} characters.
 * Every problem is reported at once, as {@code spans[i].field}.
 */
final class SpanReports {
  private static final Set<String> SPAN = Set.of("name", "start", "duration_ms", "attributes");
  private static final double MAX_DURATION_MS = Duration.ofDays(1).toMillis();

  private SpanReports() {}

  /**
   * The spans of {@code node} (the {@code spans} field, absent or null for none).
   *
   * @throws InvalidRequestException naming every invalid span field
   */
  static List<JobSpan> read(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    var errors = new ArrayList<FieldError>();
    if (!node.isArray()) {
      throw new InvalidRequestException("spans", "must be an array of spans");
    }
    if (node.size() > JobSpan.MAX_PER_ATTEMPT) {
      throw new InvalidRequestException("spans", "at most " + JobSpan.MAX_PER_ATTEMPT + " spans");
    }
    var spans = new ArrayList<JobSpan>(node.size());
    for (int i = 0; i < node.size(); i++) {
      Fields f = Fields.of(node.get(i), "spans[" + i + "].", SPAN);
      String name = f.requiredText("name");
      f.check(name == null || JobSpan.isValidName(name), "name",
          "must be 1-" + JobSpan.MAX_NAME + " letters, digits, '_', '.', ':' or '-'");
      Instant start = time(f, f.requiredText("start"));
      Double ms = f.number("duration_ms");
      f.check(ms != null || f.value("duration_ms") != null, "duration_ms", "is required");
      f.check(ms == null || (ms >= 0 && ms <= MAX_DURATION_MS), "duration_ms", "must be between 0 and 86400000");
      Map<String, String> attributes = attributes(f, f.object("attributes"));
      errors.addAll(f.errors());
      if (f.errors().isEmpty()) {
        spans.add(new JobSpan(name, start, Duration.ofNanos(Math.round(ms * 1_000_000)), attributes));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return spans;
  }

  private static Instant time(Fields f, String text) {
    if (text == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      f.error("start", "must be an RFC 3339 time");
      return null;
    }
  }

  private static Map<String, String> attributes(Fields f, JsonNode node) {
    if (node == null) {
      return Map.of();
    }
    if (node.size() > JobSpan.MAX_ATTRIBUTES) {
      f.error("attributes", "at most " + JobSpan.MAX_ATTRIBUTES + " attributes");
      return Map.of();
    }
    var out = new LinkedHashMap<String, String>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (!JobSpan.isValidName(e.getKey())) {
        f.error("attributes", "keys must be 1-" + JobSpan.MAX_NAME + " letters, digits, '_', '.', ':' or '-'");
      } else if (!v.isValueNode() || v.isNull()) {
        f.error("attributes." + e.getKey(), "must be a string, number or boolean");
      } else {
        out.put(e.getKey(), JobSpan.boundedValue(v.asText()));
      }
    }
    return out;
  }
}
