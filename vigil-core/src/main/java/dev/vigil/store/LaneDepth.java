package dev.vigil.store;

import java.time.Instant;

/**
 * How many active jobs one lane holds, by state.
 *
 * @param ready ready jobs, held ones included
 * @param oldestReadyRunAt the earliest {@code run_at} among the lane's ready jobs (when the
 *     longest-waiting one became due), or {@code null} when none is ready
 * @param held ready jobs that a limit or a breaker holds (counted in {@code ready} too)
 * @param oldestClaimableRunAt the earliest {@code run_at} among the ready jobs nothing holds, or
 *     {@code null} when there is none: how long the lane keeps work that could start waiting
 */
public record LaneDepth(
    String lane,
    long scheduled,
    long ready,
    long running,
    Instant oldestReadyRunAt,
    long held,
    Instant oldestClaimableRunAt) {

  /** The depth of a lane none of whose ready jobs is held. */
  public LaneDepth(String lane, long scheduled, long ready, long running, Instant oldestReadyRunAt) {
    this(lane, scheduled, ready, running, oldestReadyRunAt, 0, oldestReadyRunAt);
  }

  /** Ready jobs that a claim may take now: those nothing holds. */
  public long claimable() {
    return ready - held;
  }
}
