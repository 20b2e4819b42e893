package dev.vigil;

import dev.vigil.JobRejectedException.Reason;
import dev.vigil.job.Backpressure;
import dev.vigil.job.Backpressure.Level;
import dev.vigil.job.Lane;
import java.time.Duration;
import java.util.List;

/**
 * What each lane answers to new jobs until the next reading, decided once a second from the
 * lanes' backpressure so that an enqueue only looks up its lane's answer.
 *
 * <p>The rule: an unprotected lane at {@link Level#OVERLOADED} refuses ({@link
 * Reason#OVERLOADED}); an unprotected lane at {@link Level#CRITICAL} refuses ({@link Reason#SHED})
 * when no unprotected lane at critical or worse has a lower weight, so the lowest lanes shed
 * first; a protected lane always accepts. {@code max_ready} is checked apart from this, per
 * enqueue, by {@link Admission}.
 *
 * <p>{@code Retry-After} is the time the lane needs, at its recent drain rate, to bring its ready
 * jobs down to the warning level: to half its capacity and to what it starts within its target
 * wait, whichever is lower. Unknown (nothing drained lately) is the longest, {@link #MAX_RETRY}.
 */
final class AdmissionPolicy {
  static final Duration MIN_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /** A lane's refusal: why, when to try again, and the level behind it in words. */
  record Refusal(Reason reason, Duration retryAfter, Backpressure backpressure) {}

  private final Refusal[] refusals;
  private final long[] ready;
  private final long[] committedAtRead;
  private final double[] drainPerSecond;

  private AdmissionPolicy(Refusal[] refusals, long[] ready, long[] committedAtRead, double[] drainPerSecond) {
    this.refusals = refusals;
    this.ready = ready;
    this.committedAtRead = committedAtRead;
    this.drainPerSecond = drainPerSecond;
  }

  /** Before the first reading: every lane accepts, and none holds anything. */
  static AdmissionPolicy open(int lanes) {
    return new AdmissionPolicy(new Refusal[lanes], new long[lanes], new long[lanes], new double[lanes]);
  }

  /**
   * The answers for one reading.
   *
   * @param pressure each lane's backpressure, by lane index
   * @param ready each lane's ready jobs as read
   * @param committedAtRead {@link Admission}'s count of committed jobs per lane taken just before
   *     the read, so that it can add the jobs it accepted since
   * @param drainPerSecond each lane's recent drain rate
   */
  static AdmissionPolicy of(
      List<Lane> lanes, List<Backpressure> pressure, long[] ready, long[] committedAtRead, double[] drainPerSecond) {
    int lowestCritical = Integer.MAX_VALUE;
    for (int i = 0; i < lanes.size(); i++) {
      if (!lanes.get(i).isProtected() && pressure.get(i).level().atLeast(Level.CRITICAL)) {
        lowestCritical = Math.min(lowestCritical, lanes.get(i).weight());
      }
    }
    var refusals = new Refusal[lanes.size()];
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      Level level = pressure.get(i).level();
      Reason reason;
      if (lane.isProtected()) {
        reason = null;
      } else if (level == Level.OVERLOADED) {
        reason = Reason.OVERLOADED;
      } else {
        reason = level == Level.CRITICAL && lane.weight() == lowestCritical ? Reason.SHED : null;
      }
      if (reason != null) {
        refusals[i] = new Refusal(reason, retryAfter(lane, ready[i], drainPerSecond[i]), pressure.get(i));
      }
    }
    return new AdmissionPolicy(refusals, ready.clone(), committedAtRead.clone(), drainPerSecond.clone());
  }

  /** The lane's refusal of any new job, or null when it accepts (max_ready aside). */
  Refusal refusal(int lane) {
    return refusals[lane];
  }

  long ready(int lane) {
    return ready[lane];
  }

  long committedAtRead(int lane) {
    return committedAtRead[lane];
  }

  double drainPerSecond(int lane) {
    return drainPerSecond[lane];
  }

  /** How long until a lane under pressure is back at the warning level (see the class comment). */
  static Duration retryAfter(Lane lane, long ready, double perSecond) {
    double warning = Math.min(
        LanePressure.DEPTH[0] * lane.capacity(), perSecond * lane.targetWait().toMillis() / 1000.0);
    return drainTime(ready - warning, perSecond);
  }

  /** How long draining {@code jobs} takes at {@code perSecond}, in whole seconds from 1 to 300. */
  static Duration drainTime(double jobs, double perSecond) {
    if (jobs <= 0) {
      return MIN_RETRY;
    }
    if (perSecond <= 0) {
      return MAX_RETRY;
    }
    double seconds = Math.ceil(jobs / perSecond);
    return Duration.ofSeconds((long) Math.max(MIN_RETRY.toSeconds(), Math.min(MAX_RETRY.toSeconds(), seconds)));
  }
}
