package dev.vigil.store;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asked by a store, inside a claim, whether a job may start now. A store asks about the jobs it
 * leased that the gate {@linkplain #wants wants to see} (by default the keyed ones, with limit keys
 * or a concurrency key), in claim order ({@link #admitAll}); a job it refuses is put back, ready and
 * held, in the same transaction, as if it had never been leased. Other jobs start without asking.
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
   * Whether the store must ask about {@code job}; by default, about keyed jobs (those with limit
   * keys or a concurrency key). A store asks once per job and claim.
   */
  default boolean wants(Job job) {
    return job.concurrencyKey() != null || !job.limitKeys().isEmpty();
  }

  /**
   * Decides about one claim's jobs that the gate wants to see together, in claim order. The
   * default asks {@link #admit} about each in turn; a gate whose quotas are a round trip away
   * overrides it to draw each quota once for the whole claim, deciding exactly as the default would.
   *
   * @param jobs the jobs the claim leased that the gate wants to see, in claim order
   * @param running per concurrency key of these jobs, how many of its jobs ran before the claim
   *     (not counting these)
   * @return one entry per job, in the same order: null to start it, or why it is held
   */
  default List<Hold> admitAll(List<Job> jobs, Map<String, Integer> running, Instant now) {
    Map<String, Integer> counts = new HashMap<>(running);
    List<Hold> holds = new ArrayList<>(jobs.size());
    for (Job j : jobs) {
      String key = j.concurrencyKey();
      Hold hold = admit(j, key == null ? 0 : counts.getOrDefault(key, 0), now);
      if (hold == null && key != null) {
        counts.merge(key, 1, Integer::sum);
      }
      holds.add(hold);
    }
    return holds;
  }
}
