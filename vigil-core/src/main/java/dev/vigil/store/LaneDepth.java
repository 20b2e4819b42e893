package dev.vigil.store;

import java.time.Instant;

/**
 * How many active jobs one lane holds, by state.
 *
 * @param oldestReadyRunAt the earliest {@code run_at} among the lane's ready jobs (when the
 *     longest-waiting one became due), or {@code null} when none is ready
 */
public record LaneDepth(
    String lane, long scheduled, long ready, long running, Instant oldestReadyRunAt) {}
