package dev.vigil.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Asks the store to lease ready jobs to one worker, from several lanes in one round trip.
 *
 * @param workerId the lease owner recorded on each claimed job
 * @param quotas how many jobs to take from each lane, in the order given
 * @param types only jobs of these types; empty for any type
 * @param lease how long each lease lasts before the reaper may rescue the job
 * @param now the current time (lease start and {@code started_at})
 * @param gate asked whether each keyed job may start, or null to start every job picked
 */
public record ClaimRequest(
    String workerId, List<LaneQuota> quotas, Set<String> types, Duration lease, Instant now, ClaimGate gate) {

  /** A claim of jobs no limit keeps (no gate). */
  public ClaimRequest(String workerId, List<LaneQuota> quotas, Set<String> types, Duration lease, Instant now) {
    this(workerId, quotas, types, lease, now, null);
  }

  /**
   * Up to {@code max} jobs from {@code lane}, and only as many as keep the lane's running jobs
   * (counted across every worker and node) at or below {@code laneCap}.
   */
  public record LaneQuota(String lane, int max, int laneCap) {
    public LaneQuota {
      Objects.requireNonNull(lane, "lane");
      if (max < 1) {
        throw new IllegalArgumentException("max must be at least 1");
      }
      if (laneCap < 1) {
        throw new IllegalArgumentException("laneCap must be at least 1");
      }
    }
  }

  public ClaimRequest {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(now, "now");
    quotas = List.copyOf(quotas);
    types = types == null ? Set.of() : Set.copyOf(types);
  }
}
