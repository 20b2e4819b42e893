package dev.vigil.server;

import java.time.Duration;

/**
 * Bounds on what remote workers may hold on this node ({@code claims.*}): the longest lease a
 * claim or heartbeat may ask for, and how many claims may wait for work at once, in all and per
 * worker id. Beyond a waiting bound a claim answers 429 with {@code Retry-After}.
 *
 * @param maxLease the longest {@code lease_ms} a claim or heartbeat may ask for
 * @param maxWaiting claims that may wait for work at once on this node
 * @param maxWaitingPerWorker of those, claims of one {@code worker_id}
 */
public record ClaimSettings(Duration maxLease, int maxWaiting, int maxWaitingPerWorker) {
  /** 10 minutes; 1,000 waiting claims, 16 per worker id. */
  public static final ClaimSettings DEFAULTS = new ClaimSettings(Duration.ofMinutes(10), 1_000, 16);
}
