package dev.vigil.llm;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One answer row of a {@link UsageQuery}: the values of its {@code by} dimensions (a call outside
 * any job has a null type and lane), the start of its step bucket (null without a step), and what
 * its calls used.
 */
public record UsageGroup(Map<UsageDimension, String> labels, Instant bucket, UsageTotals totals) {
  public UsageGroup {
    labels = labels == null || labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(labels));
  }
}
