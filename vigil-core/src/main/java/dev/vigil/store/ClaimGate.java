package dev.vigil.store;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import java.time.Instant;

/**
 * Asked by a store, inside a claim, whether a job may start now. A store calls it once per job it
 * leased that the gate {@linkplain #wants wants to see}, in claim order; a job it refuses is put
 * back, ready and held, in the same transaction, as if it had never been leased. Other jobs start
 * without asking.
 */
public interface ClaimGate {
  /**
   * @param job the job, as leased
   * @param runningOfKey how many jobs of its concurrency key run, counting those this claim started
   *     before it but not itself (0 without a concurrency key)
   * @return null to start it, or why it is held
   */
  Hold admit(Job job, int runningOfKey, Instant now);

  /**
   * Whether {@link #admit} must be asked about {@code job}; by default, about keyed jobs (those
   * with limit keys or a concurrency key). A store asks once per job and claim.
   */
  default boolean wants(Job job) {
    return job.concurrencyKey() != null || !job.limitKeys().isEmpty();
  }
}
