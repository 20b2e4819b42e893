package dev.vigil;

import dev.vigil.carbon.CallEnergy;
import dev.vigil.carbon.LlmEnergyEstimator;
import dev.vigil.job.Job;
import dev.vigil.llm.LlmCallReport;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.PriceTable;
import dev.vigil.llm.TokenCounts;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Turns a finished model call into its usage record: prices it with the engine's price table as
 * of the call's start (null and counted as unpriced when no row covers the model), estimates its
 * energy and carbon, and tells the meters. One per engine; thread-safe.
 */
final class LlmRecorder {
  private final InstantSource clock;
  private final PriceTable prices;
  private final LlmEnergyEstimator energy;
  private final LlmMeters meters;

  LlmRecorder(InstantSource clock, PriceTable prices, LlmEnergyEstimator energy, LlmMeters meters) {
    this.clock = clock;
    this.prices = prices;
    this.energy = energy;
    this.meters = meters;
  }

  InstantSource clock() {
    return clock;
  }

  /** The record of a call of {@code job}'s current attempt that started at {@code start} and ends now. */
  LlmUsage record(
      Job job, Instant start, String provider, String model, String operation, TokenCounts tokens, boolean ok) {
    Duration took = Duration.between(start, clock.instant());
    return record(job, start, took.isNegative() ? Duration.ZERO : took, provider, model, operation, tokens, ok, null);
  }

  /**
   * The record of a call a remote worker reports for {@code job}'s current attempt, taken to have
   * ended now; a cost it sends wins over the price table.
   */
  LlmUsage reported(Job job, LlmCallReport r) {
    Duration took = Duration.ofMillis(r.durationMs());
    return record(
        job, clock.instant().minus(took), took, r.provider(), r.model(), r.operation(), r.tokens(),
        LlmUsage.OK.equals(r.outcome()), r.costUsd());
  }

  private LlmUsage record(
      Job job,
      Instant start,
      Duration took,
      String provider,
      String model,
      String operation,
      TokenCounts tokens,
      boolean ok,
      BigDecimal sentCost) {
    BigDecimal cost = prices.cost(provider, model, start, tokens, sentCost).orElse(null);
    CallEnergy e = energy.estimate(provider, model, tokens.output(), took);
    var usage =
        new LlmUsage(
            job.id(),
            job.attempt(),
            job.type(),
            job.lane(),
            start,
            provider,
            model,
            operation,
            tokens,
            took.toMillis(),
            ok ? LlmUsage.OK : LlmUsage.ERROR,
            cost,
            e.energyWh(),
            e.co2eGrams());
    meters.recorded(usage, took);
    return usage;
  }
}
