package dev.vigil.job;

import java.time.Instant;
import java.util.Set;

/**
 * Filters and a page position for listing jobs, newest first. Every filter is optional; {@code
 * cursor} is the opaque {@link JobPage#nextCursor()} of the previous page.
 *
 * @param states jobs in any of these states; empty for all
 * @param since created at or after this instant
 * @param until created before this instant
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 */
public record JobQuery(
    Set<JobState> states,
    String lane,
    String type,
    String correlationId,
    Instant since,
    Instant until,
    int limit,
    String cursor) {

  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 50;

  public JobQuery {
    states = states == null ? Set.of() : Set.copyOf(states);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new dev.vigil.InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT);
    }
  }

  /** All jobs, newest first, in pages of {@value #DEFAULT_LIMIT}. */
  public static JobQuery all() {
    return new JobQuery(Set.of(), null, null, null, null, null, DEFAULT_LIMIT, null);
  }

  public JobQuery withStates(Set<JobState> v) {
    return new JobQuery(v, lane, type, correlationId, since, until, limit, cursor);
  }

  public JobQuery withLane(String v) {
    return new JobQuery(states, v, type, correlationId, since, until, limit, cursor);
  }

  public JobQuery withType(String v) {
    return new JobQuery(states, lane, v, correlationId, since, until, limit, cursor);
  }

  public JobQuery withCorrelationId(String v) {
    return new JobQuery(states, lane, type, v, since, until, limit, cursor);
  }

  public JobQuery withSince(Instant v) {
    return new JobQuery(states, lane, type, correlationId, v, until, limit, cursor);
  }

  public JobQuery withUntil(Instant v) {
    return new JobQuery(states, lane, type, correlationId, since, v, limit, cursor);
  }

  public JobQuery withLimit(int v) {
    return new JobQuery(states, lane, type, correlationId, since, until, v, cursor);
  }

  public JobQuery withCursor(String v) {
    return new JobQuery(states, lane, type, correlationId, since, until, limit, v);
  }
}
