package dev.vigil;

import java.time.Duration;

/**
 * Bounds on what remote workers may hold on this node: the longest lease a claim or heartbeat may
 * ask for, and how many claims may wait for work at once, in all and per worker id. A claim
 * beyond a bound is refused ({@link TooManyClaimsException}) instead of parking without limit.
 *
 * @param maxLease the longest lease a claim or heartbeat may ask for
 * @param maxWaiting claims that may wait for work at once on this node
 * @param maxWaitingPerWorker of those, claims of one worker id
 */
record ClaimLimits(Duration maxLease, int maxWaiting, int maxWaitingPerWorker) {
  static final ClaimLimits DEFAULTS = new ClaimLimits(Duration.ofMinutes(10), 1_000, 16);

  ClaimLimits {
    if (maxLease == null || maxLease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the longest claim lease must be at least 1 s");
    }
    if (maxWaiting < 1 || maxWaitingPerWorker < 1) {
      throw new IllegalArgumentException("waiting claims must be limited to at least 1");
    }
  }
}
