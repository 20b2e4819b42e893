package dev.vigil.observe.duty;

import java.time.Duration;
import java.time.Instant;

/**
 * Work done again and again on a period: sampling metrics, rolling them up, purging what is past
 * its retention. A {@link DutyRunner} runs each duty when due, on its own error handling, and
 * runs a {@linkplain #leaderOnly() leader-only} duty only on the node that holds the store's
 * leadership.
 */
public interface PeriodicDuty {
  /** A short name for logs, e.g. {@code history-sampler}. */
  String name();

  /**
   * How often it runs. Due times are aligned to multiples of the period since the epoch, so a
   * 10-second duty runs at :00, :10, :20 whatever the time it started.
   */
  Duration period();

  /** Whether it must run on one node only, the leader (default: on every node). */
  default boolean leaderOnly() {
    return false;
  }

  /**
   * Does the work due at {@code now}. A failure is logged by the runner and the duty runs again at
   * its next due time; nothing else is affected.
   */
  void run(Instant now);
}
