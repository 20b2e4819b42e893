package dev.vigil.job;

import java.time.Duration;

/**
 * A lane's configuration with its current depth, as operators see it.
 *
 * @param oldestReadyAge how long the oldest ready job has been waiting to start, or {@code null}
 *     when nothing is ready
 */
public record LaneStatus(
    Lane lane, long scheduled, long ready, long running, Duration oldestReadyAge) {}
