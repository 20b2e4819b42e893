package dev.vigil.limits;

import java.time.Duration;

/**
 * One key's limits and what they allow now, as {@code GET /api/v1/limits} shows it.
 *
 * @param key the key ({@code provider:openai}, {@code user:42})
 * @param rate starts allowed per window, or null
 * @param window the rate's and units' window, or null
 * @param units cost units allowed per window, or null
 * @param concurrency jobs allowed to run at once, or null
 * @param available starts left in the window now, or null without a rate
 * @param unitsAvailable units left in the window now, or null without units
 * @param running jobs of this concurrency key running now (cluster-wide)
 * @param waiting ready jobs this key holds now (cluster-wide)
 */
public record LimitStatus(
    String key,
    Integer rate,
    Duration window,
    Long units,
    Integer concurrency,
    Long available,
    Long unitsAvailable,
    long running,
    long waiting) {}
