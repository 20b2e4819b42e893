package dev.vigil.job;

import java.time.Instant;
import java.util.List;

/**
 * One finished attempt at a job: when it started and ended, how it ended, which worker ran it,
 * and the error if it did not succeed.
 *
 * @param readyAt the job's {@code run_at} when this attempt was claimed: when it became due (at
 *     creation, or after a retry's back-off); null for attempts stored before Vigil kept it
 * @param spans what the attempt timed ({@link JobContext#span}), in the order they ended
 */
public record Attempt(
    int attempt,
    Instant startedAt,
    Instant finishedAt,
    AttemptOutcome outcome,
    String workerId,
    JobError error,
    Instant readyAt,
    List<JobSpan> spans) {

  public Attempt {
    spans = spans == null ? List.of() : List.copyOf(spans);
  }

  /** An attempt without its ready time and spans. */
  public Attempt(
      int attempt,
      Instant startedAt,
      Instant finishedAt,
      AttemptOutcome outcome,
      String workerId,
      JobError error) {
    this(attempt, startedAt, finishedAt, outcome, workerId, error, null, List.of());
  }

  /** This attempt with these spans. */
  public Attempt withSpans(List<JobSpan> v) {
    return new Attempt(attempt, startedAt, finishedAt, outcome, workerId, error, readyAt, v);
  }
}
