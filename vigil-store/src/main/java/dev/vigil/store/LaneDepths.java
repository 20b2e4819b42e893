package dev.vigil.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link LaneDepth}s from per-lane counts, as both stores read them. */
final class LaneDepths {
  private LaneDepths() {}

  /**
   * @param counts per lane: scheduled, claimable ready, running, held ready
   * @param oldestClaimable per lane, the oldest run_at of a ready job nothing holds
   * @param oldestHeld per lane, the oldest run_at of a held job
   */
  static List<LaneDepth> of(
      Map<String, long[]> counts, Map<String, Instant> oldestClaimable, Map<String, Instant> oldestHeld) {
    List<LaneDepth> depths = new ArrayList<>(counts.size());
    counts.forEach((lane, n) -> {
      Instant claimable = oldestClaimable.get(lane);
      Instant held = oldestHeld.get(lane);
      Instant oldest = claimable == null ? held : held == null || claimable.isBefore(held) ? claimable : held;
      depths.add(new LaneDepth(lane, n[0], n[1] + n[3], n[2], oldest, n[3], claimable));
    });
    return depths;
  }
}
