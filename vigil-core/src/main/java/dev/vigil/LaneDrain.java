package dev.vigil;

import dev.vigil.job.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast each lane has been draining lately: jobs that left {@code ready} for {@code running}
 * through this node (its own slots and the remote claims it served), as jobs per second. Starts
 * are counted as they happen (an adder's increment); {@link #sample} turns the count since the
 * last sample into a rate, folded into an exponentially weighted mean (about the last ten
 * samples). A sample where the lane neither started a job nor held a ready one leaves its mean
 * alone, so an idle spell does not read as a stall.
 *
 * <p>The rate is this node's: with several nodes sharing a store it undercounts, and what it is
 * used for ({@code Retry-After}) errs long.
 */
final class LaneDrain {
  private static final double ALPHA = 0.2;

  private final Map<String, LongAdder> started;
  private final LongAdder[] byIndex;
  private final long[] counted;
  private final double[] perSecond;
  private final boolean[] seen;
  private Instant lastSample;

  LaneDrain(List<Lane> lanes) {
    var map = new HashMap<String, LongAdder>();
    byIndex = new LongAdder[lanes.size()];
    for (int i = 0; i < lanes.size(); i++) {
      byIndex[i] = new LongAdder();
      map.put(lanes.get(i).name(), byIndex[i]);
    }
    started = Map.copyOf(map);
    counted = new long[lanes.size()];
    perSecond = new double[lanes.size()];
    seen = new boolean[lanes.size()];
  }

  /** A job of {@code lane} started (or was leased to a remote worker). */
  void started(String lane) {
    LongAdder n = started.get(lane);
    if (n != null) {
      n.increment();
    }
  }

  /**
   * Folds the starts since the last sample into each lane's rate. The first call only sets the
   * baseline; a call at the same instant as the last changes nothing.
   *
   * @param hasReady whether each lane holds ready jobs now
   */
  synchronized void sample(Instant now, boolean[] hasReady) {
    if (lastSample == null) {
      lastSample = now;
      for (int i = 0; i < byIndex.length; i++) {
        counted[i] = byIndex[i].sum();
      }
      return;
    }
    long nanos = Duration.between(lastSample, now).toNanos();
    if (nanos <= 0) {
      return;
    }
    lastSample = now;
    for (int i = 0; i < byIndex.length; i++) {
      long total = byIndex[i].sum();
      long starts = total - counted[i];
      counted[i] = total;
      if (starts == 0 && !hasReady[i]) {
        continue;
      }
      double rate = starts * 1e9 / nanos;
      perSecond[i] = seen[i] ? perSecond[i] + ALPHA * (rate - perSecond[i]) : rate;
      seen[i] = true;
    }
  }

  /** The lane's recent drain rate in jobs per second; 0 before it has started anything. */
  synchronized double perSecond(int lane) {
    return perSecond[lane];
  }
}
