package dev.vigil.store;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import java.time.Instant;

/**
 * Asked by a store, inside a claim, whether a keyed job (one with limit keys or a concurrency
 * key) may start now. A store calls it once per keyed job it leased, in claim order; a job it
 * refuses is put back, ready and held, in the same transaction, as if it had never been leased.
 * Unkeyed jobs never reach it.
 */
public interface ClaimGate {
  /**
   * @param job the job, as leased
   * @param runningOfKey how many jobs of its concurrency key run, counting those this claim started
   *     before it but not itself (0 without a concurrency key)
   * @return null to start it, or why it is held
   */
  Hold admit(Job job, int runningOfKey, Instant now);
}
