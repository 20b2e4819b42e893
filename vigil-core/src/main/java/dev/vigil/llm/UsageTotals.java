package dev.vigil.llm;

import java.math.BigDecimal;

/**
 * What a set of calls used. Costs sum the priced calls only and are null when none was priced
 * (unknown, never zero); {@code unpricedCalls} says how many were not. {@code retryCostUsd} is the
 * cost of the calls made by attempts that failed (zero when every priced call's attempt succeeded,
 * null when no call was priced).
 */
public record UsageTotals(
    long calls,
    long failedCalls,
    long inputTokens,
    long cachedInputTokens,
    long outputTokens,
    long reasoningTokens,
    BigDecimal costUsd,
    long unpricedCalls,
    BigDecimal retryCostUsd,
    double energyWh,
    double co2eGrams) {

  /** No calls. */
  public static final UsageTotals NONE = new UsageTotals(0, 0, 0, 0, 0, 0, null, 0, null, 0, 0);

  /** Input and output tokens together. */
  public long tokens() {
    return inputTokens + outputTokens;
  }

  /** These calls and {@code o}'s together. */
  public UsageTotals plus(UsageTotals o) {
    return new UsageTotals(
        calls + o.calls,
        failedCalls + o.failedCalls,
        inputTokens + o.inputTokens,
        cachedInputTokens + o.cachedInputTokens,
        outputTokens + o.outputTokens,
        reasoningTokens + o.reasoningTokens,
        sum(costUsd, o.costUsd),
        unpricedCalls + o.unpricedCalls,
        sum(retryCostUsd, o.retryCostUsd),
        energyWh + o.energyWh,
        co2eGrams + o.co2eGrams);
  }

  private static BigDecimal sum(BigDecimal a, BigDecimal b) {
    return a == null ? b : b == null ? a : a.add(b);
  }
}
