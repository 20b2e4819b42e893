package dev.vigil.observe.errors;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One group of failed attempts that share a fingerprint, as the store keeps it.
 *
 * @param id the group's id, derived from its fingerprint ({@link Fingerprint#groupId()})
 * @param fingerprint the fingerprint's parts, one per line ({@link Fingerprint#text()})
 * @param title the error type and first message line of the group's first occurrence
 * @param culprit the top in-app frame of its first occurrence, or {@code null}
 * @param count every occurrence since the group was created
 * @param count24h occurrences in the 24 hours up to the time the group was read
 * @param hourly 24 counts, one per hour, oldest first; the last is the hour holding the time the
 *     group was read
 * @param jobTypes the job types it happened in, first seen first, at most {@value #MAX_JOB_TYPES}
 * @param lanes the lanes it happened in, first seen first, at most {@value #MAX_LANES}
 * @param sampleJobIds the last jobs it happened in, newest first, at most {@value #MAX_SAMPLES}
 * @param regressed whether it happened again after it was resolved (reset when it is resolved)
 * @param unresolvedSince when it last became unresolved (created, regressed or unresolved by
 *     hand): the time to resolve is measured from here
 * @param resolvedAt when it was resolved, while it is
 * @param resolvedBy who resolved it, while it is resolved
 * @param regressedAt when it last regressed, or {@code null}
 */
public record ErrorGroup(
    String id,
    String fingerprint,
    String title,
    String errorType,
    String culprit,
    Instant firstSeen,
    Instant lastSeen,
    long count,
    long count24h,
    List<Long> hourly,
    List<String> jobTypes,
    List<String> lanes,
    List<String> sampleJobIds,
    ErrorStatus status,
    boolean regressed,
    Instant unresolvedSince,
    Instant resolvedAt,
    String resolvedBy,
    Instant regressedAt) {

  /** The most job types a group lists. */
  public static final int MAX_JOB_TYPES = 20;

  /** The most lanes a group lists. */
  public static final int MAX_LANES = 20;

  /** The most sample job ids a group keeps. */
  public static final int MAX_SAMPLES = 10;

  /** Hours of {@link #hourly()}. */
  public static final int HOURS = 24;

  public ErrorGroup {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    hourly = List.copyOf(hourly);
    jobTypes = List.copyOf(jobTypes);
    lanes = List.copyOf(lanes);
    sampleJobIds = List.copyOf(sampleJobIds);
  }
}
