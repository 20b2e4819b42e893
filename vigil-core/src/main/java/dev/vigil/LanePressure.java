package dev.vigil;

import dev.vigil.job.Backpressure;
import dev.vigil.job.Backpressure.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One lane's backpressure level, moved by its measures: a state machine with hysteresis.
 *
 * <p>Two measures, each against thresholds for warning, critical and overloaded: the ready jobs
 * against the lane's capacity ({@link #DEPTH}: 50 %, 80 %, 100 %) and the oldest ready job's wait
 * against the lane's target wait ({@link #WAIT}: 1×, 2×, 4×). The worse of the two decides.
 *
 * <p>A level rises at once when a measure reaches its threshold. It falls only when both measures
 * have stayed below {@link #EASE} of the current level's thresholds (40 %/64 %/80 % and
 * 0.8×/1.6×/3.2×) at every reading for {@link #HOLD}; it then falls to the level they show against
 * those eased thresholds, possibly several at once. So a lane hovering at a threshold does not
 * flap, and a spike that clears at once still counts for five seconds. Not thread-safe: the
 * monitor's duty alone updates it.
 */
final class LanePressure {
  /** Ready jobs as a share of capacity, for warning, critical and overloaded. */
  static final double[] DEPTH = {0.5, 0.8, 1.0};

  /** The oldest ready job's wait as a multiple of the target wait, for the same levels. */
  static final double[] WAIT = {1, 2, 4};

  /** A level is left only below this share of its thresholds. */
  static final double EASE = 0.8;

  /** ... and only after the measures stayed there this long. */
  static final Duration HOLD = Duration.ofSeconds(5);

  /**
   * One reading of a lane.
   *
   * @param oldestReadyAge how long the oldest ready job has waited; null when nothing is ready or
   *     the wait does not count (a paused lane waits by design)
   */
  record Load(long ready, int capacity, Duration oldestReadyAge, Duration targetWait) {
    double depthRatio() {
      return (double) ready / capacity;
    }

    double waitRatio() {
      return oldestReadyAge == null ? 0 : (double) oldestReadyAge.toMillis() / targetWait.toMillis();
    }
  }

  private Backpressure current = Backpressure.NORMAL;
  private Instant easingSince;

  Backpressure current() {
    return current;
  }

  /** Moves the level by a new reading taken at {@code now}; returns the level after it. */
  Backpressure update(Load load, Instant now) {
    Level level = current.level();
    Level raised = levelOf(load, 1);
    if (raised.compareTo(level) > 0) {
      easingSince = null;
      level = raised;
    } else {
      Level eased = levelOf(load, EASE);
      if (eased.compareTo(level) >= 0) {
        easingSince = null;
      } else if (easingSince == null) {
        easingSince = now;
      } else if (Duration.between(easingSince, now).compareTo(HOLD) >= 0) {
        easingSince = null;
        level = eased;
      }
    }
    current = new Backpressure(level, reason(load, level, raised.compareTo(level) < 0));
    return current;
  }

  /** The level the measures reach against the thresholds scaled by {@code scale}. */
  static Level levelOf(Load load, double scale) {
    int depth = steps(load.depthRatio(), DEPTH, scale);
    int wait = steps(load.waitRatio(), WAIT, scale);
    return Level.values()[Math.max(depth, wait)];
  }

  private static int steps(double ratio, double[] thresholds, double scale) {
    int n = 0;
    while (n < thresholds.length && ratio >= thresholds[n] * scale) {
      n++;
    }
    return n;
  }

  private static String reason(Load load, Level level, boolean holding) {
    var s = new StringBuilder();
    s.append("ready jobs at ").append(percent(load.depthRatio())).append(" % of capacity (")
        .append(load.ready()).append(" of ").append(load.capacity()).append(')');
    if (load.oldestReadyAge() != null) {
      s.append("; oldest ready job waiting ").append(words(load.oldestReadyAge()))
          .append(" (target ").append(words(load.targetWait())).append(')');
    }
    if (holding && level != Level.NORMAL) {
      int i = level.value() - 1;
      s.append("; stays ").append(level.wireName()).append(" until below ")
          .append(percent(DEPTH[i] * EASE)).append(" % of capacity and ")
          .append(String.format(Locale.ROOT, "%.1f", WAIT[i] * EASE)).append("× the target wait for ")
          .append(HOLD.toSeconds()).append(" s");
    }
    return s.toString();
  }

  private static long percent(double ratio) {
    return Math.round(ratio * 100);
  }

  /** A wait as an operator reads it: {@code 850 ms}, {@code 4.2 s}, {@code 42 s}, {@code 12 min}. */
  static String words(Duration d) {
    long ms = d.toMillis();
    if (ms < 1_000) {
      return ms + " ms";
    }
    if (ms < 10_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms < 120_000) {
      return ms / 1000 + " s";
    }
    if (ms < 7_200_000) {
      return ms / 60_000 + " min";
    }
    return ms / 3_600_000 + " h";
  }
}
