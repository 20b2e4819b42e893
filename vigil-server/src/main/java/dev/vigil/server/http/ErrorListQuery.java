package dev.vigil.server.http;

import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.observe.errors.ErrorGroupQuery;
import dev.vigil.observe.errors.ErrorStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the query string of {@code GET /api/v1/errors} into an {@link ErrorGroupQuery}: {@code
 * status} (repeatable, or comma-separated), {@code lane}, {@code type} (a job type), {@code
 * error_type}, {@code since} (RFC 3339, or an age such as {@code -15m}, {@code -24h}, {@code -7d}),
 * {@code limit} (1 to 500, default 50) and {@code cursor}. Unknown parameters are errors.
 */
final class ErrorListQuery {
  private static final Set<String> PARAMS = Set.of("status", "lane", "type", "error_type", "since", "limit", "cursor");

  private ErrorListQuery() {}

  /**
   * @throws InvalidRequestException naming every bad parameter
   */
  static ErrorGroupQuery parse(Map<String, List<String>> params, Instant now) {
    var errors = new ArrayList<FieldError>();
    params.keySet().stream().filter(p -> !PARAMS.contains(p)).sorted()
        .forEach(p -> errors.add(new FieldError(p, "unknown query parameter")));
    Set<ErrorStatus> statuses = EnumSet.noneOf(ErrorStatus.class);
    for (String value : params.getOrDefault("status", List.of())) {
      for (String s : value.split(",")) {
        if (s.isBlank()) {
          continue;
        }
        try {
          statuses.add(ErrorStatus.fromWire(s));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("status", "unknown status '" + s.strip() + "' (unresolved, resolved, ignored)"));
        }
      }
    }
    Instant since = QueryParams.time(params, "since", now, errors).orElse(null);
    int limit = QueryParams.limit(params, ErrorGroupQuery.DEFAULT_LIMIT, ErrorGroupQuery.MAX_LIMIT, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new ErrorGroupQuery(
        statuses, QueryParams.single(params, "lane"), QueryParams.single(params, "type"), QueryParams.single(params, "error_type"), since, limit,
        QueryParams.single(params, "cursor"));
  }
}
