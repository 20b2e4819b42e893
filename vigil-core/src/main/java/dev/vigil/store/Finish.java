package dev.vigil.store;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import java.time.Instant;
import java.util.Objects;

/**
 * Ends the current attempt of a running job, fenced by its lease token, and moves the job on.
 * The engine decides the next state; the store only checks the fence and writes.
 *
 * <ul>
 *   <li>{@code succeeded}: {@code resultJson} stored, {@code finished_at} set.
 *   <li>{@code scheduled}: a retry at {@code retryAt}; {@code last_error} set.
 *   <li>{@code ready}: the lease is given back (shutdown, or a rescue with attempts left and no
 *       back-off); {@code last_error} set when an error is given.
 *   <li>{@code dead} or {@code cancelled}: {@code finished_at} set, {@code last_error} set when
 *       an error is given.
 * </ul>
 *
 * In every case the lease is cleared, {@code cancel_requested} is reset, and one {@link
 * dev.vigil.job.Attempt} is recorded with the job's attempt number, its {@code started_at}, its
 * lease owner as worker, this outcome and error.
 *
 * @param retryAt when the retry may run; required for {@code scheduled}, ignored otherwise
 */
public record Finish(
    String jobId,
    String leaseToken,
    AttemptOutcome outcome,
    JobState nextState,
    Instant retryAt,
    JobError error,
    String resultJson,
    Instant now) {

  public Finish {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(leaseToken, "leaseToken");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(nextState, "nextState");
    Objects.requireNonNull(now, "now");
    if (nextState == JobState.RUNNING) {
      throw new IllegalArgumentException("a finished attempt cannot leave the job running");
    }
    if (nextState == JobState.SCHEDULED && retryAt == null) {
      throw new IllegalArgumentException("a retry needs retryAt");
    }
  }
}
