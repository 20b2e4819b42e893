package dev.vigil.limits;

import java.time.Instant;

/**
 * One circuit breaker as {@code GET /api/v1/breakers} shows it.
 *
 * @param key what it watches: {@code type:<job type>} for a job type, or the limit key itself
 *     ({@code provider:openai})
 * @param since when it entered its state (the engine's start for a breaker that never opened)
 * @param failureRatio closed: the share of failed attempts among those in its window now (0 with
 *     none); open or half-open: the share that opened it
 * @param nextProbeAt open: when its cool-down ends and a probe job may start; otherwise null
 */
public record BreakerStatus(String key, BreakerState state, Instant since, double failureRatio, Instant nextProbeAt) {}
