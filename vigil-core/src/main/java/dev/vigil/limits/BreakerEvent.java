package dev.vigil.limits;

import java.time.Instant;

/**
 * A circuit breaker changed state. Delivered to {@code Vigil.subscribeBreakers} subscribers, once
 * per change on the node whose breaker it is (each node keeps its own breakers).
 *
 * @param key the breaker ({@code type:reply.generate}, {@code provider:openai})
 * @param failureRatio the share of failed attempts that opened it (the last one, once it closes)
 * @param nextProbeAt when it lets a probe job start, for a change to {@code open}; otherwise null
 * @param at when the change happened, by the engine's clock
 */
public record BreakerEvent(
    String key, BreakerState from, BreakerState to, double failureRatio, Instant nextProbeAt, Instant at) {}
