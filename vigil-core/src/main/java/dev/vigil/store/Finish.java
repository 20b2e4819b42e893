package dev.vigil.store;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.job.JobSpan;
import dev.vigil.llm.LlmUsage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Ends the current attempt of a running job, fenced by its lease token, and moves the job on.
 * The engine decides the next state; the store only checks the fence and writes.
 *
 * <ul>
 *   <li>{@code succeeded}: {@code resultJson} stored, {@code finished_at} set.
 *   <li>{@code scheduled}: a retry at {@code retryAt}; {@code last_error} set.
 *   <li>{@code ready}: the lease of a started job is given back (shutdown); {@code last_error}
 *       set when an error is given.
 *   <li>{@code dead} or {@code cancelled}: {@code finished_at} set, {@code last_error} set when
 *       an error is given.
 * </ul>
 *
 * In every case the lease is cleared, {@code cancel_requested} is reset, and one {@link
 * dev.vigil.job.Attempt} is recorded with the job's attempt number, its {@code started_at}, its
 * lease owner as worker, the job's {@code run_at} as the attempt's ready time, this outcome and
 * error, and with it the attempt's {@code spans}, if any (an empty list writes nothing more).
 *
 * <p>A finish that would leave the job {@code scheduled}, {@code ready} or {@code dead} while a
 * cancellation was requested ({@code cancel_requested}) ends it {@code cancelled} instead, with
 * {@code finished_at} set: the operator's request outlives the attempt, whoever ends it (a
 * retryable failure, the reaper, a shutdown). The attempt keeps the finish's outcome and error.
 *
 * <p>A {@code ready} finish gives a started job back (a shutdown): the attempt is recorded, and it
 * does not count toward {@code max_attempts} ({@link dev.vigil.job.Job#givenBack()} grows by one).
 *
 * @param retryAt when the retry may run; required for {@code scheduled}, ignored otherwise
 * @param spans what the attempt timed, stored with it and returned by {@link JobStore#get}
 * @param usage the model calls the attempt made ({@link dev.vigil.job.JobContext#llm}), stored in
 *     the finish's transaction when the finish holds its lease, returned by {@link
 *     JobStore#llmUsage}
 * @param expiredBefore when set, the finish applies only if the job's lease expired before this
 *     instant, checked in the same statement as the token: the reaper's rescue, which must lose to
 *     a heartbeat that renewed the lease after the reaper read it
 */
public record Finish(
    String jobId,
    String leaseToken,
    AttemptOutcome outcome,
    JobState nextState,
    Instant retryAt,
    JobError error,
    String resultJson,
    Instant now,
    List<JobSpan> spans,
    Instant expiredBefore,
    List<LlmUsage> usage) {

  public Finish {
    usage = usage == null || usage.isEmpty() ? List.of() : List.copyOf(usage);
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(leaseToken, "leaseToken");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(nextState, "nextState");
    Objects.requireNonNull(now, "now");
    spans = spans == null || spans.isEmpty() ? List.of() : List.copyOf(spans);
    if (nextState == JobState.RUNNING) {
      throw new IllegalArgumentException("a finished attempt cannot leave the job running");
    }
    if (nextState == JobState.SCHEDULED && retryAt == null) {
      throw new IllegalArgumentException("a retry needs retryAt");
    }
  }

  /** A finish with spans, without model calls. */
  public Finish(
      String jobId,
      String leaseToken,
      AttemptOutcome outcome,
      JobState nextState,
      Instant retryAt,
      JobError error,
      String resultJson,
      Instant now,
      List<JobSpan> spans,
      Instant expiredBefore) {
    this(jobId, leaseToken, outcome, nextState, retryAt, error, resultJson, now, spans, expiredBefore, List.of());
  }

  /** A finish without spans. */
  public Finish(
      String jobId,
      String leaseToken,
      AttemptOutcome outcome,
      JobState nextState,
      Instant retryAt,
      JobError error,
      String resultJson,
      Instant now) {
    this(jobId, leaseToken, outcome, nextState, retryAt, error, resultJson, now, List.of(), null);
  }

  /** A finish with the attempt's spans. */
  public Finish(
      String jobId,
      String leaseToken,
      AttemptOutcome outcome,
      JobState nextState,
      Instant retryAt,
      JobError error,
      String resultJson,
      Instant now,
      List<JobSpan> spans) {
    this(jobId, leaseToken, outcome, nextState, retryAt, error, resultJson, now, spans, null);
  }

  /** This finish with the attempt's spans. */
  public Finish withSpans(List<JobSpan> v) {
    return new Finish(jobId, leaseToken, outcome, nextState, retryAt, error, resultJson, now, v, expiredBefore, usage);
  }

  /** This finish with the attempt's model calls. */
  public Finish withUsage(List<LlmUsage> v) {
    return new Finish(jobId, leaseToken, outcome, nextState, retryAt, error, resultJson, now, spans, expiredBefore, v);
  }

  /** This finish, applied only if the lease expired before {@code instant}: a rescue. */
  public Finish ifExpiredBefore(Instant instant) {
    return new Finish(
        jobId, leaseToken, outcome, nextState, retryAt, error, resultJson, now, spans, Objects.requireNonNull(instant),
        usage);
  }
}
