package dev.vigil.observe.history;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one resource is heading, by a straight line through its last hour of history: the disk
 * full at 03:40, the heap's live data at its maximum never, a lane's backlog at its capacity in
 * 20 minutes. {@link Forecasts} makes them.
 *
 * @param what the resource
 * @param labels which one: {@code node} for the disk and the heap, {@code lane} for a backlog
 * @param value the line's value now (fitted, so it may differ a little from the last sample)
 * @param threshold the value that means trouble: 0 free bytes, the heap's maximum, the lane's capacity
 * @param slopePerHour how much the value changes an hour (negative: falling)
 * @param reachesAt when the line meets the threshold; now when the value is there or past it
 *     already, {@code null} when the line is flat or moves away from it
 * @param rSquared how sure: how well the line fits its points, 0 (not at all) to 1 (every point on it)
 * @param points how many points the line was fitted through
 */
public record Forecast(
    What what, Map<String, String> labels, double value, double threshold, double slopePerHour, Instant reachesAt,
    double rSquared, int points) {

  public Forecast {
    Objects.requireNonNull(what, "what");
    labels = Map.copyOf(labels);
  }

  /** {@link #reachesAt}, empty when the line never meets the threshold. */
  public Optional<Instant> reaches() {
    return Optional.ofNullable(reachesAt);
  }

  /** What is forecast, and in which direction it runs out. */
  public enum What {
    /** Free bytes of a node's data directory ({@code vigil_data_dir_free_bytes}), falling to 0. */
    DISK_FREE(false),
    /**
     * A node's long-lived heap after garbage collection ({@code jvm_gc_live_data_size_bytes}),
     * rising to the most that pool may hold ({@code jvm_gc_max_data_size_bytes}).
     */
    HEAP_AFTER_GC(true),
    /**
     * A lane's ready jobs ({@code vigil_queue_depth{state="ready"}}), rising to its capacity
     * ({@code vigil_lane_capacity}).
     */
    LANE_BACKLOG(true);

    private final boolean rising;

    What(boolean rising) {
      this.rising = rising;
    }

    /** The name on the wire: {@code disk_free}, {@code heap_after_gc}, {@code lane_backlog}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether trouble lies above the threshold (else below it). */
    public boolean rising() {
      return rising;
    }

    /** Whether {@code value} is at the threshold or past it in the direction of trouble. */
    boolean reached(double value, double threshold) {
      return rising ? value >= threshold : value <= threshold;
    }
  }
}
