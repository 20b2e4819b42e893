package dev.vigil.llm;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded call to a language model: who made it (job, attempt, type, lane), to what
 * (provider, model, operation), what it used (tokens, time) and what it cost (US dollars, as
 * priced when it was recorded; energy and carbon, estimated). Names follow the OpenTelemetry GenAI
 * conventions: {@code tokens.input()} counts every input token, cached ones included.
 *
 * @param jobId the job that made the call; null for a call made outside any job
 * @param attempt the job's attempt that made it; 0 outside any job
 * @param at when the call started
 * @param outcome {@value #OK} or {@value #ERROR}
 * @param costUsd the call's cost, or null when no price row covers its model: unknown, not free
 * @param energyWh estimated facility energy of the call
 * @param co2eGrams estimated carbon of that energy on the grid used
 */
public record LlmUsage(
    String jobId,
    int attempt,
    String type,
    String lane,
    Instant at,
    String provider,
    String model,
    String operation,
    TokenCounts tokens,
    long durationMs,
    String outcome,
    BigDecimal costUsd,
    double energyWh,
    double co2eGrams) {

  public static final String OK = "ok";
  public static final String ERROR = "error";
  public static final String DEFAULT_OPERATION = "chat";

  public LlmUsage {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokens, "tokens");
    operation = operation == null ? DEFAULT_OPERATION : operation;
    checkOutcomeAndDuration(outcome, durationMs);
  }

  /** @throws IllegalArgumentException for an outcome other than ok or error, or a negative duration */
  static void checkOutcomeAndDuration(String outcome, long durationMs) {
    if (!OK.equals(outcome) && !ERROR.equals(outcome)) {
      throw new IllegalArgumentException("outcome must be ok or error (got " + outcome + ")");
    }
    if (durationMs < 0) {
      throw new IllegalArgumentException("duration_ms must not be negative");
    }
  }

  /** True when the call succeeded. */
  public boolean ok() {
    return OK.equals(outcome);
  }
}
