package dev.vigil.observe.history;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A question to metric history: one metric, a function of it per step, the labels to keep, the
 * label values to match, and a window. Build one with {@link #builder(String)}; what is left
 * unset {@link MetricHistory#query} chooses.
 *
 * @param name the metric, e.g. {@code vigil_jobs_succeeded_total}
 * @param fn what to compute per step; empty: {@link HistoryFunction#defaultFor} the metric's kind
 * @param by the labels to keep (the series that differ only in other labels are summed); empty
 *     keeps none, summing everything into one series. {@code node} is a label too.
 * @param match only series whose labels have these values ({@code node} included)
 * @param from the window's start; empty: an hour before {@code to}
 * @param to the window's end; empty: now
 * @param step the time between points; empty: one giving at most about 240 points
 */
public record HistoryQuery(
    String name,
    Optional<HistoryFunction> fn,
    List<String> by,
    Map<String, String> match,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<Duration> step) {

  public HistoryQuery {
    Objects.requireNonNull(name, "name");
    by = List.copyOf(by);
    match = Map.copyOf(match);
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(step, "step");
  }

  /** A query of metric {@code name} with every other part left to choose. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link HistoryQuery}. */
  public static final class Builder {
    private final String name;
    private HistoryFunction fn;
    private List<String> by = List.of();
    private final Map<String, String> match = new LinkedHashMap<>();
    private Instant from;
    private Instant to;
    private Duration step;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder fn(HistoryFunction v) { fn = v; return this; }

    public Builder by(String... labels) { by = List.of(labels); return this; }

    public Builder by(List<String> labels) { by = List.copyOf(labels); return this; }

    /** Keeps only series whose label {@code label} is {@code value}; may be given for several labels. */
    public Builder match(String label, String value) { match.put(label, value); return this; }

    public Builder from(Instant v) { from = v; return this; }

    public Builder to(Instant v) { to = v; return this; }

    public Builder step(Duration v) { step = v; return this; }

    public HistoryQuery build() {
      return new HistoryQuery(
          name, Optional.ofNullable(fn), by, match, Optional.ofNullable(from), Optional.ofNullable(to),
          Optional.ofNullable(step));
    }
  }
}
