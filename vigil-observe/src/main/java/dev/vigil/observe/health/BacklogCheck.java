package dev.vigil.observe.health;

import dev.vigil.job.LaneStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Each lane's backlog against its capacity; the fullest lane decides. */
final class BacklogCheck implements HealthCheck {
  private final Supplier<List<LaneStatus>> lanes;
  private final double degradedRatio;
  private final double unhealthyRatio;

  BacklogCheck(Supplier<List<LaneStatus>> lanes, double degradedRatio, double unhealthyRatio) {
    this.lanes = lanes;
    this.degradedRatio = degradedRatio;
    this.unhealthyRatio = unhealthyRatio;
  }

  @Override
  public CheckResult check() {
    var perLane = new LinkedHashMap<String, Object>();
    String fullest = null;
    double worst = -1;
    for (LaneStatus s : lanes.get()) {
      long backlog = s.scheduled() + s.ready();
      double ratio = (double) backlog / s.lane().capacity();
      perLane.put(
          s.lane().name(),
          Map.of("backlog", backlog, "capacity", s.lane().capacity(), "ratio", Checks.round(ratio, 4)));
      if (ratio > worst) {
        worst = ratio;
        fullest = s.lane().name();
      }
    }
    if (fullest == null) {
      return CheckResult.healthy("no lanes").with("lanes", perLane);
    }
    String text = "fullest lane " + fullest + " at " + Math.round(worst * 100) + " % of capacity";
    CheckResult r;
    if (worst >= unhealthyRatio) {
      r = CheckResult.unhealthy(text + " (limit " + Math.round(unhealthyRatio * 100) + " %)");
    } else if (worst >= degradedRatio) {
      r = CheckResult.degraded(text + " (warning at " + Math.round(degradedRatio * 100) + " %)");
    } else {
      r = CheckResult.healthy(text);
    }
    return r.with("lanes", perLane)
        .with("degraded_ratio", degradedRatio)
        .with("unhealthy_ratio", unhealthyRatio);
  }
}
