package dev.vigil;

import java.time.Duration;

/**
 * How long each lane's jobs have been running lately: an exponentially weighted mean of the run
 * times of the jobs that ended, per lane. The {@link LaneScheduler} charges every start this mean,
 * so that lanes share worker <em>time</em> by weight, not only starts: a lane of 30-second dreams
 * cannot hold most of the workers by winning one start in nine.
 *
 * <p>A lane with no job ended yet is taken to run {@link #FIRST_GUESS}; its first ends correct
 * it. Thread-safe; each call is a few arithmetic operations under a lock.
 */
final class LaneRunTimes {
  /** The mean run time assumed for a lane until one of its jobs ends. */
  static final Duration FIRST_GUESS = Duration.ofMillis(100);

  /** Weight of the newest run time in the mean: about the last ten jobs count. */
  private static final double ALPHA = 0.2;

  private static final double MIN_MILLIS = 0.001;

  private final double[] meanMillis;
  private final boolean[] seen;

  LaneRunTimes(int lanes) {
    this.meanMillis = new double[lanes];
    this.seen = new boolean[lanes];
    java.util.Arrays.fill(meanMillis, FIRST_GUESS.toNanos() / 1e6);
  }

  /** A job of the lane ended after running this long. */
  synchronized void ended(int lane, Duration ran) {
    double millis = Math.max(MIN_MILLIS, ran.toNanos() / 1e6);
    meanMillis[lane] = seen[lane] ? meanMillis[lane] + ALPHA * (millis - meanMillis[lane]) : millis;
    seen[lane] = true;
  }

  /** The lane's recent mean run time, in milliseconds; never zero. */
  synchronized double meanMillis(int lane) {
    return meanMillis[lane];
  }
}
