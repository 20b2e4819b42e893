package dev.vigil;

import dev.vigil.job.Backpressure;
import dev.vigil.job.Backpressure.Level;
import dev.vigil.job.BackpressureEvent;
import dev.vigil.job.Lane;
import dev.vigil.store.LaneDepth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backpressure duty, run once a second on every node: reads the lanes' depths (one store
 * query, whose answer the depth gauges share), moves each lane's {@link LanePressure}, reports
 * every change of level (a log line, a counter, a {@link BackpressureEvent}) and hands {@link
 * Admission} the answers for the next second. When the store cannot be read, everything stays as
 * it was.
 */
final class BackpressureMonitor {
  private static final Logger log = LoggerFactory.getLogger(BackpressureMonitor.class);

  private final List<Lane> lanes;
  private final LaneDepthCache depths;
  private final LanePauses pauses;
  private final LaneDrain drain;
  private final Admission admission;
  private final EngineMetrics metrics;
  private final Consumer<BackpressureEvent> changes;
  private final LanePressure[] pressure;
  private volatile List<Backpressure> published;

  BackpressureMonitor(
      List<Lane> lanes,
      LaneDepthCache depths,
      LanePauses pauses,
      LaneDrain drain,
      Admission admission,
      EngineMetrics metrics,
      Consumer<BackpressureEvent> changes) {
    this.lanes = List.copyOf(lanes);
    this.depths = depths;
    this.pauses = pauses;
    this.drain = drain;
    this.admission = admission;
    this.metrics = metrics;
    this.changes = changes;
    this.pressure = new LanePressure[lanes.size()];
    for (int i = 0; i < pressure.length; i++) {
      pressure[i] = new LanePressure();
    }
    published = Collections.nCopies(lanes.size(), Backpressure.NORMAL);
  }

  /** Reads the lanes and moves their levels; called by the housekeeper once a clock second. */
  synchronized void measure(Instant now) {
    long[] committed = admission.committed();
    Map<String, LaneDepth> read = depths.readNow();
    if (read == null) {
      return;
    }
    int n = lanes.size();
    long[] ready = new long[n];
    boolean[] hasReady = new boolean[n];
    for (int i = 0; i < n; i++) {
      LaneDepth d = read.get(lanes.get(i).name());
      ready[i] = d == null ? 0 : d.ready();
      hasReady[i] = ready[i] > 0;
    }
    drain.sample(now, hasReady);
    var levels = new ArrayList<Backpressure>(n);
    var rates = new double[n];
    for (int i = 0; i < n; i++) {
      Lane lane = lanes.get(i);
      LaneDepth d = read.get(lane.name());
      // A held job waits for a limit or a breaker, not for a slot: it fills the lane but does not age it.
      Duration age = d == null || d.oldestClaimableRunAt() == null || pauses.isPaused(i)
          ? null
          : maxZero(Duration.between(d.oldestClaimableRunAt(), now));
      Level before = pressure[i].current().level();
      Backpressure after =
          pressure[i].update(new LanePressure.Load(ready[i], lane.capacity(), age, lane.targetWait()), now);
      if (after.level() != before) {
        changed(lane.name(), before, after, now);
      }
      levels.add(after);
      rates[i] = drain.perSecond(i);
    }
    published = List.copyOf(levels);
    admission.update(AdmissionPolicy.of(lanes, levels, ready, committed, rates));
  }

  /** The lane's level as last measured. */
  Backpressure backpressure(int lane) {
    return published.get(lane);
  }

  /** The lane's level as a number, for the gauge. */
  int level(int lane) {
    return backpressure(lane).level().value();
  }

  private void changed(String lane, Level from, Backpressure to, Instant now) {
    if (to.level().compareTo(from) > 0 && to.level().atLeast(Level.CRITICAL)) {
      log.warn("lane {} backpressure {} (was {}): {}", lane, to.level().wireName(), from.wireName(), to.reason());
    } else {
      log.info("lane {} backpressure {} (was {}): {}", lane, to.level().wireName(), from.wireName(), to.reason());
    }
    metrics.backpressureChanged(lane, to.level());
    changes.accept(new BackpressureEvent(lane, from, to.level(), to.reason(), now));
  }

  private static Duration maxZero(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
