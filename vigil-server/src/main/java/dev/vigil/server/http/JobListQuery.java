package dev.vigil.server.http;

import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the query string of {@code GET /api/v1/jobs} into a {@link JobQuery}: {@code state}
 * (repeatable, or comma-separated), {@code lane}, {@code type}, {@code correlation_id}, {@code
 * since} and {@code until} (RFC 3339), {@code limit} (1 to 500, default 50) and {@code cursor}.
 * Unknown parameters are errors, so a misspelt filter never silently lists everything.
 */
final class JobListQuery {
  private static final Set<String> PARAMS =
      Set.of("state", "lane", "type", "correlation_id", "since", "until", "limit", "cursor");

  private JobListQuery() {}

  /**
   * @throws InvalidRequestException naming every bad parameter
   */
  static JobQuery parse(Map<String, List<String>> params) {
    var errors = new ArrayList<FieldError>();
    params.keySet().stream().filter(p -> !PARAMS.contains(p)).sorted()
        .forEach(p -> errors.add(new FieldError(p, "unknown query parameter")));
    Set<JobState> states = EnumSet.noneOf(JobState.class);
    for (String value : params.getOrDefault("state", List.of())) {
      for (String s : value.split(",")) {
        try {
          states.add(JobState.fromWire(s.trim()));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("state", "unknown state '" + s.trim() + "'"));
        }
      }
    }
    Instant since = time(params, "since", errors);
    Instant until = time(params, "until", errors);
    int limit = QueryParams.limit(params, JobQuery.DEFAULT_LIMIT, JobQuery.MAX_LIMIT, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new JobQuery(
        states, QueryParams.single(params, "lane"), QueryParams.single(params, "type"), QueryParams.single(params, "correlation_id"),
        since, until, limit, QueryParams.single(params, "cursor"));
  }

  private static Instant time(Map<String, List<String>> params, String name, List<FieldError> errors) {
    String text = QueryParams.single(params, name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "must be an RFC 3339 time, e.g. 2026-01-01T00:00:00Z"));
      return null;
    }
  }
}
