package dev.vigil.job;

import java.time.Duration;

/**
 * A lane's configuration with its current depth and backpressure, as operators see it.
 *
 * @param oldestReadyAge how long the oldest ready job has been waiting to start, or {@code null}
 *     when nothing is ready
 * @param backpressure the lane's level as last measured (about once a second)
 */
public record LaneStatus(
    Lane lane, long scheduled, long ready, long running, Duration oldestReadyAge, Backpressure backpressure) {

  /** A status whose backpressure is not known: {@link Backpressure#NORMAL}. */
  public LaneStatus(Lane lane, long scheduled, long ready, long running, Duration oldestReadyAge) {
    this(lane, scheduled, ready, running, oldestReadyAge, Backpressure.NORMAL);
  }
}
