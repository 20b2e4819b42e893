package dev.vigil;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.limits.KeyLimits;
import dev.vigil.store.ClaimGate;
import java.time.Instant;

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
