package dev.vigil;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.limits.KeyLimits;
import dev.vigil.store.ClaimGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate a claim passes to its store ({@link ClaimGate}): the limits per key, and the circuit
 * breakers while any of them is open or half-open. {@link #forClaim} answers null when there is
 * nothing to ask, so that a claim with no limits and every breaker closed stays the plain one.
 *
 * <p>The breakers are asked first: a job an open breaker holds draws nothing from its keys'
 * quotas. A job a breaker admits as its probe and a limit then holds is given back to the breaker,
 * so the probe goes to a job that starts.
 */
final class ClaimGates {
  private final KeyLimits limits;
  private final Breakers breakers;
  private final ClaimGate both = new ClaimGate() {
    @Override
    public boolean wants(Job job) {
      return (limits != null && limits.wants(job)) || breakers.watches(job);
    }

    @Override
    public Hold admit(Job job, int runningOfKey, Instant now) {
      Hold hold = breakers.admit(job, now);
      if (hold != null || limits == null || !limits.wants(job)) {
        return hold;
      }
      hold = limits.admit(job, runningOfKey, now);
      if (hold != null) {
        breakers.notStarted(job);
      }
      return hold;
    }

    /**
     * The breakers decide about each job first; the limits draw once for the jobs they let go,
     * except that a job taken as a breaker's probe is decided by its limits at once, so that a
     * probe its limits hold gives its place to the next job of the claim.
     */
    @Override
    public List<Hold> admitAll(List<Job> jobs, Map<String, Integer> running, Instant now) {
      Map<String, Integer> counts = new HashMap<>(running);
      List<Hold> holds = new ArrayList<>(jobs.size());
      List<Integer> pending = new ArrayList<>();
      for (Job job : jobs) {
        Hold hold = breakers.admit(job, now);
        holds.add(hold);
        if (hold == null && limits != null && limits.wants(job)) {
          pending.add(holds.size() - 1);
          if (breakers.probing(job)) {
            drawLimits(jobs, pending, holds, counts, now);
          }
        }
      }
      drawLimits(jobs, pending, holds, counts, now);
      return holds;
    }

    /** Asks the limits about the pending jobs together; counts those that start. */
    private void drawLimits(
        List<Job> jobs, List<Integer> pending, List<Hold> holds, Map<String, Integer> counts, Instant now) {
      if (pending.isEmpty()) {
        return;
      }
      List<Job> batch = pending.stream().map(jobs::get).toList();
      List<Hold> limitHolds = limits.admitAll(batch, counts, now);
      for (int i = 0; i < batch.size(); i++) {
        Job job = batch.get(i);
        if (limitHolds.get(i) != null) {
          holds.set(pending.get(i), limitHolds.get(i));
          breakers.notStarted(job);
        } else if (job.concurrencyKey() != null) {
          counts.merge(job.concurrencyKey(), 1, Integer::sum);
        }
      }
      pending.clear();
    }
  };

  /** @param limits the limits per key, or null for none */
  ClaimGates(KeyLimits limits, Breakers breakers) {
    this.limits = limits;
    this.breakers = breakers;
  }

  /** The gate for a claim starting now, or null when no job needs asking. */
  ClaimGate forClaim() {
    return breakers.anyNotClosed() ? both : limits;
  }
}
