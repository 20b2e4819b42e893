package dev.vigil;

import dev.vigil.job.Lane;
import dev.vigil.store.JobStore;
import java.util.List;
import java.util.Map;

/**
 * Which lanes are paused. A lane's configured flag holds until an operator pauses or resumes it;
 * that choice is stored, so it survives restarts and reaches every node sharing the store
 * ({@link #refresh()} rereads it).
 */
final class LanePauses {
  private final List<Lane> lanes;
  private final JobStore store;
  private volatile boolean[] paused;

  LanePauses(List<Lane> lanes, JobStore store) {
    this.lanes = lanes;
    this.store = store;
    refresh();
  }

  boolean isPaused(int lane) {
    return paused[lane];
  }

  /** Rereads the stored pause flags; true when any lane changed. */
  boolean refresh() {
    Map<String, Boolean> stored = store.lanePauses();
    boolean[] next = new boolean[lanes.size()];
    for (int i = 0; i < next.length; i++) {
      Lane lane = lanes.get(i);
      next[i] = stored.getOrDefault(lane.name(), lane.paused());
    }
    boolean changed = paused == null || !java.util.Arrays.equals(paused, next);
    paused = next;
    return changed;
  }

  void set(int lane, boolean value) {
    store.setLanePaused(lanes.get(lane).name(), value);
    refresh();
  }
}
