package dev.vigil.llm;

/**
 * How one model has served one job type lately: its calls, how many succeeded, their mean tokens
 * and their 95th percentile duration. What {@code choose} ranks candidates by, beside prices.
 */
public record ModelStats(
    String provider,
    String model,
    long calls,
    long okCalls,
    double meanInputTokens,
    double meanCachedInputTokens,
    double meanOutputTokens,
    long p95DurationMs) {

  /** The share of calls that succeeded, from 0 to 1; 0 without calls. */
  public double successRate() {
    return calls == 0 ? 0 : (double) okCalls / calls;
  }
}
