package dev.vigil.observe.errors;

import java.time.Instant;
import java.util.Objects;

/**
 * One failed attempt, fingerprinted, as the grouper hands it to the store; the store keeps the
 * last {@value #KEPT} of each group.
 *
 * @param outcome how the attempt ended: {@code failed}, {@code timed_out} or {@code lease_expired}
 * @param message the error's message as stored (redacted by the engine), or {@code null}
 */
public record ErrorOccurrence(
    Fingerprint fingerprint,
    String jobId,
    int attempt,
    String jobType,
    String lane,
    String outcome,
    String message,
    Instant at) {

  /** How many occurrences of each group the store keeps, newest. */
  public static final int KEPT = 20;

  public ErrorOccurrence {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(jobType, "jobType");
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }

  /** The id of the group this occurrence belongs to. */
  public String groupId() {
    return fingerprint.groupId();
  }
}
