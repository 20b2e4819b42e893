package dev.vigil.llm;

import dev.vigil.job.Attempt;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What one job's model calls used over all its attempts: the {@code usage} of the job's JSON.
 * {@code retryCostUsd} is the cost of the calls made in attempts that did not succeed: what the
 * retries really cost. Costs sum the priced calls only; when no call was priced the cost is null
 * (unknown), never zero.
 */
public record JobUsage(
    long calls,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    BigDecimal retryCostUsd,
    double energyWh,
    double co2eGrams) {

  /**
   * The usage of {@code job} from its calls; null when it made none. A call belongs to a failed
   * attempt when the job records that attempt with any outcome but succeeded.
   */
  public static JobUsage of(Job job, Collection<LlmUsage> calls) {
    if (calls.isEmpty()) {
      return null;
    }
    Set<Integer> failed = new HashSet<>();
    for (Attempt a : job.attempts()) {
      if (a.outcome() != AttemptOutcome.SUCCEEDED) {
        failed.add(a.attempt());
      }
    }
    long input = 0;
    long output = 0;
    BigDecimal cost = null;
    BigDecimal retryCost = null;
    double energy = 0;
    double co2e = 0;
    for (LlmUsage u : calls) {
      input += u.tokens().input();
      output += u.tokens().output();
      energy += u.energyWh();
      co2e += u.co2eGrams();
      if (u.costUsd() != null) {
        cost = cost == null ? u.costUsd() : cost.add(u.costUsd());
        if (failed.contains(u.attempt())) {
          retryCost = retryCost == null ? u.costUsd() : retryCost.add(u.costUsd());
        }
      }
    }
    if (cost != null && retryCost == null) {
      retryCost = BigDecimal.ZERO;
    }
    return new JobUsage(calls.size(), input, output, cost, retryCost, energy, co2e);
  }
}
