package dev.vigil;

import dev.vigil.job.Lane;
import java.util.List;

/**
 * Decides how a node's free worker slots are shared among lanes: stride scheduling over the lanes
 * that can take a slot right now.
 *
 * <p>Each lane has a pass value that grows by {@code STRIDE / weight} every time it is given a
 * slot; the next slot goes to the eligible lane with the smallest pass, ties to the higher lane.
 * Over time lanes receive slots in proportion to their weights, and a light lane is never starved
 * as strict priority would. A lane that was idle rejoins at the current virtual time instead of
 * cashing in the credit it did not use, so coming back from idle does not let it flood the node.
 *
 * <p>Given {@link LaneRunTimes}, a slot costs its lane's recent mean run time (in milliseconds)
 * times {@code STRIDE / weight}: lanes then share worker time by weight, so a lane whose jobs run
 * five times longer gets a fifth as many starts for the same weight.
 *
 * <p>A lane is eligible for one more slot when it may have ready work, is not paused, is under its
 * concurrency cap, and taking the slot still leaves its {@code reserved} slots free for the lanes
 * above it. Not thread-safe: the dispatcher calls it under its own lock.
 */
final class LaneScheduler {
  static final long STRIDE = 1L << 20;

  private final List<Lane> lanes;
  private final LaneRunTimes runTimes;
  private final long[] pass;
  private long virtualTime;

  /** A scheduler that shares starts by weight. */
  LaneScheduler(List<Lane> lanes) {
    this(lanes, null);
  }

  /** A scheduler that shares worker time by weight, timed by {@code runTimes}; null for starts. */
  LaneScheduler(List<Lane> lanes, LaneRunTimes runTimes) {
    this.lanes = List.copyOf(lanes);
    this.runTimes = runTimes;
    this.pass = new long[lanes.size()];
  }

  /** What a lane looks like to the scheduler at one moment. */
  interface LaneView {
    boolean hasWork(int lane);

    boolean paused(int lane);

    int running(int lane);

    /** Slots the lane must leave free for lanes above it; by default its configured value. */
    default int reserved(int lane, int configured) {
      return configured;
    }

    /** How many slots the lane could fill right now at most; unlimited by default. */
    default int available(int lane) {
      return Integer.MAX_VALUE;
    }
  }

  /**
   * Shares {@code free} slots.
   *
   * @return slots given to each lane, indexed like the lane list; all zero when none can be given
   */
  int[] plan(int free, LaneView view) {
    int n = lanes.size();
    int[] quota = new int[n];
    boolean[] eligible = new boolean[n];
    for (int i = 0; i < n; i++) {
      eligible[i] = view.hasWork(i) && !view.paused(i);
      if (eligible[i] && pass[i] < virtualTime) {
        pass[i] = virtualTime;
      }
    }
    for (int avail = free; avail > 0; avail--) {
      int chosen = -1;
      for (int i = 0; i < n; i++) {
        Lane lane = lanes.get(i);
        boolean fits =
            eligible[i]
                && view.running(i) + quota[i] < lane.maxConcurrency()
                && quota[i] < view.available(i)
                && avail > view.reserved(i, lane.reserved());
        if (fits && (chosen < 0 || pass[i] < pass[chosen])) {
          chosen = i;
        }
      }
      if (chosen < 0) {
        break;
      }
      quota[chosen]++;
      virtualTime = pass[chosen];
      pass[chosen] += charge(chosen);
    }
    return quota;
  }

  /** Gives back slots planned for a lane that had less work than planned. */
  void refund(int lane, int slots) {
    pass[lane] -= slots * charge(lane);
  }

  /** What one slot costs the lane's pass. */
  private long charge(int lane) {
    int weight = lanes.get(lane).weight();
    if (runTimes == null) {
      return STRIDE / weight;
    }
    return Math.max(1, Math.round(STRIDE * runTimes.meanMillis(lane) / weight));
  }
}
