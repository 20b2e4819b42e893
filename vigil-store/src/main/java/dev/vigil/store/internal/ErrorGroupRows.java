package dev.vigil.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.InvalidRequestException;
import dev.vigil.observe.errors.ErrorGroup;
import dev.vigil.observe.errors.ErrorStatus;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Maps rows of {@code error_groups} to {@link ErrorGroup}, with its hourly counts, and the JSON
 * arrays and list cursors of the error group store.
 */
public final class ErrorGroupRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String CURSOR_PREFIX = "g1:";

  /** The columns of {@code error_groups} that {@link #group} reads, in order. */
  public static final String COLUMNS =
      "id, fingerprint, title, error_type, culprit, first_seen, last_seen, count, job_types, lanes,"
          + " sample_job_ids, status, regressed, unresolved_since, resolved_at, resolved_by, regressed_at";

  /** One hour, the width of an hourly count. */
  public static final Duration HOUR = Duration.ofHours(1);

  private ErrorGroupRows() {}

  /** The group on the current row, without hourly counts (all zero): see {@link #withHours}. */
  public static ErrorGroup group(ResultSet rs) throws SQLException {
    return new ErrorGroup(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        Jdbc.instant(rs, 6),
        Jdbc.instant(rs, 7),
        rs.getLong(8),
        0,
        java.util.Collections.nCopies(ErrorGroup.HOURS, 0L),
        strings(rs.getString(9)),
        strings(rs.getString(10)),
        strings(rs.getString(11)),
        ErrorStatus.fromWire(rs.getString(12)),
        rs.getBoolean(13),
        Jdbc.instant(rs, 14),
        Jdbc.instant(rs, 15),
        rs.getString(16),
        Jdbc.instant(rs, 17));
  }

  /** The group with its hourly counts ({@code hours}: hour start → count) for the 24 hours up to {@code now}. */
  public static ErrorGroup withHours(ErrorGroup g, Map<Long, Long> hours, Instant now) {
    long current = hourOf(now);
    var hourly = new ArrayList<Long>(ErrorGroup.HOURS);
    long total = 0;
    for (int i = ErrorGroup.HOURS - 1; i >= 0; i--) {
      long n = hours.getOrDefault(current - i * HOUR.toMillis(), 0L);
      hourly.add(n);
      total += n;
    }
    return new ErrorGroup(
        g.id(), g.fingerprint(), g.title(), g.errorType(), g.culprit(), g.firstSeen(), g.lastSeen(), g.count(), total,
        hourly, g.jobTypes(), g.lanes(), g.sampleJobIds(), g.status(), g.regressed(), g.unresolvedSince(),
        g.resolvedAt(), g.resolvedBy(), g.regressedAt());
  }

  /** The start of the hour holding {@code t}, in epoch milliseconds. */
  public static long hourOf(Instant t) {
    return Math.floorDiv(t.toEpochMilli(), HOUR.toMillis()) * HOUR.toMillis();
  }

  /** A JSON array of strings. */
  public static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write a list as JSON", e);
    }
  }

  /** The text that a JSON array holding {@code value} contains: the value as a JSON string. */
  public static String jsonElement(String value) {
    return json(List.of(value)).substring(1, json(List.of(value)).length() - 1);
  }

  /** A JSON array of strings read back. */
  public static List<String> strings(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored list is not a JSON array of strings", e);
    }
  }

  /** The cursor that continues after a group last seen at {@code lastSeen} with this id. */
  public static String cursor(Instant lastSeen, String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + lastSeen.toEpochMilli() + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a cursor continues after: last seen (epoch milliseconds) and id.
   *
   * @throws InvalidRequestException if {@code cursor} did not come from {@link #cursor}
   */
  public static Position position(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = text.indexOf(':', CURSOR_PREFIX.length());
      if (text.startsWith(CURSOR_PREFIX) && colon > CURSOR_PREFIX.length() && colon < text.length() - 1) {
        return new Position(Long.parseLong(text.substring(CURSOR_PREFIX.length(), colon)), text.substring(colon + 1));
      }
    } catch (IllegalArgumentException e) {
      // not base64, or not a number: reported below
    }
    throw new InvalidRequestException("cursor", "is not a cursor from a previous page");
  }

  /** Where a page ended. */
  public record Position(long lastSeenMillis, String id) {}
}
