package dev.vigil.job;

import java.time.Instant;

/**
 * One state change of one job, as published on the event bus. {@code from} is {@code null} for
 * a job's creation. Events carry no payload, so subscribers never see user content.
 *
 * @param outcome how the attempt ended, when this change ended one (from {@code running});
 *     {@code null} otherwise
 * @param error the ended attempt's error as it was stored (redacted, bounded), when it had one;
 *     {@code null} otherwise. Error grouping reads failed attempts from here.
 */
public record JobEvent(
    String jobId,
    String type,
    String lane,
    JobState from,
    JobState to,
    Instant at,
    String correlationId,
    int attempt,
    AttemptOutcome outcome,
    JobError error) {

  /** A change that ended no attempt. */
  public JobEvent(
      String jobId, String type, String lane, JobState from, JobState to, Instant at, String correlationId, int attempt) {
    this(jobId, type, lane, from, to, at, correlationId, attempt, null, null);
  }

  /**
   * Whether this change ended a failed attempt: one that failed, timed out or lost its lease (a
   * lease given back at shutdown, which leaves the job {@code ready}, is not a failure).
   */
  public boolean endsFailedAttempt() {
    return error != null
        && (outcome == AttemptOutcome.FAILED
            || outcome == AttemptOutcome.TIMED_OUT
            || (outcome == AttemptOutcome.LEASE_EXPIRED && to != JobState.READY));
  }
}
