package dev.vigil.observe.errors;

import java.time.Instant;
import java.util.Set;

/**
 * Which groups to list, newest first (by last seen, then id); every filter is optional.
 *
 * @param statuses only groups in one of these statuses; empty for all
 * @param lane only groups that happened in this lane
 * @param jobType only groups that happened in jobs of this type
 * @param errorType only groups of this error type
 * @param since only groups last seen at or after this time
 * @param limit 1 to {@value #MAX_LIMIT}
 * @param cursor where the previous page ended ({@link ErrorGroupPage#nextCursor()}), or null
 */
public record ErrorGroupQuery(
    Set<ErrorStatus> statuses, String lane, String jobType, String errorType, Instant since, int limit, String cursor) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public ErrorGroupQuery {
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /** Every group, a first page of the default size. */
  public static ErrorGroupQuery all() {
    return new ErrorGroupQuery(Set.of(), null, null, null, null, DEFAULT_LIMIT, null);
  }

  public ErrorGroupQuery withStatuses(Set<ErrorStatus> v) {
    return new ErrorGroupQuery(v, lane, jobType, errorType, since, limit, cursor);
  }

  public ErrorGroupQuery withLane(String v) {
    return new ErrorGroupQuery(statuses, v, jobType, errorType, since, limit, cursor);
  }

  public ErrorGroupQuery withJobType(String v) {
    return new ErrorGroupQuery(statuses, lane, v, errorType, since, limit, cursor);
  }

  public ErrorGroupQuery withErrorType(String v) {
    return new ErrorGroupQuery(statuses, lane, jobType, v, since, limit, cursor);
  }

  public ErrorGroupQuery withSince(Instant v) {
    return new ErrorGroupQuery(statuses, lane, jobType, errorType, v, limit, cursor);
  }

  public ErrorGroupQuery withLimit(int v) {
    return new ErrorGroupQuery(statuses, lane, jobType, errorType, since, v, cursor);
  }

  public ErrorGroupQuery withCursor(String v) {
    return new ErrorGroupQuery(statuses, lane, jobType, errorType, since, limit, v);
  }
}
