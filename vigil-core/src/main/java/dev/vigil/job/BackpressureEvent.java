package dev.vigil.job;

import java.time.Instant;

/**
 * A lane's backpressure level changed. Delivered to {@code Vigil.subscribeBackpressure}
 * subscribers, once per change on each node (every node measures the lanes it shares).
 *
 * @param reason the measures behind the new level, as {@link Backpressure#reason()}
 * @param at when the change was measured, by the engine's clock
 */
public record BackpressureEvent(
    String lane, Backpressure.Level from, Backpressure.Level to, String reason, Instant at) {}
