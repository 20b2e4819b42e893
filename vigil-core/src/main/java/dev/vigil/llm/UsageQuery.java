package dev.vigil.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A question to the recorded usage: the calls that started in {@code [from, to)} and pass {@code
 * filter}, summed per distinct combination of the {@code by} dimensions (none: one group), and per
 * {@code step} bucket when a step is given (buckets start at multiples of the step since the epoch).
 *
 * @param step the width of a series bucket; null for totals over the whole range
 */
public record UsageQuery(Instant from, Instant to, List<UsageDimension> by, Duration step, UsageFilter filter) {
  public UsageQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    by = by == null ? List.of() : List.copyOf(by);
    filter = filter == null ? UsageFilter.ALL : filter;
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    if (step != null && (step.isNegative() || step.toMillis() < 1)) {
      throw new IllegalArgumentException("step must be at least 1 ms");
    }
  }

  /** Totals of every call in the range that passes {@code filter}, in one group. */
  public static UsageQuery totals(Instant from, Instant to, UsageFilter filter) {
    return new UsageQuery(from, to, List.of(), null, filter);
  }
}
