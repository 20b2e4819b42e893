package dev.vigil.llm;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A model call as a remote worker reports it with {@code complete} or {@code fail}: the engine
 * adds the job, attempt, time, price (unless {@code costUsd} is given: a cost sent wins over the
 * price table), energy and carbon, and stores it as an {@link LlmUsage} with the attempt.
 *
 * @param operation null for {@value LlmUsage#DEFAULT_OPERATION}
 * @param outcome {@value LlmUsage#OK} or {@value LlmUsage#ERROR}; null for ok
 * @param costUsd the call's cost as the worker knows it, or null to price it with the table
 */
public record LlmCallReport(
    String provider,
    String model,
    String operation,
    TokenCounts tokens,
    long durationMs,
    String outcome,
    BigDecimal costUsd) {

  public LlmCallReport {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokens, "tokens");
    operation = operation == null ? LlmUsage.DEFAULT_OPERATION : operation;
    outcome = outcome == null ? LlmUsage.OK : outcome;
    LlmUsage.checkOutcomeAndDuration(outcome, durationMs);
    if (costUsd != null && costUsd.signum() < 0) {
      throw new IllegalArgumentException("cost_usd must not be negative");
    }
  }
}
