package dev.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * An enqueue was refused to protect the engine: nothing of the request was stored (a batch is
 * refused whole), and the caller may send it again after {@link #retryAfter()}. {@link
 * #reason()} says which rule refused it and {@link #lane()} which lane did; see {@code
 * docs/load.md}.
 *
 * <p>Over HTTP, {@link Reason#LANE_FULL} answers {@code 429} ({@code …/lane-full}) and the other
 * reasons {@code 503} ({@code …/overloaded}), with {@code Retry-After}.
 */
public final class JobRejectedException extends VigilException {
  private static final long serialVersionUID = 1L;

  /** Why the jobs were refused. */
  public enum Reason {
    /** The lane holds its {@code max_ready} ready jobs, or this request would pass it. */
    LANE_FULL,
    /** The lane is critical and the lowest-weight unprotected lane at critical or worse. */
    SHED,
    /** The lane is overloaded and not protected. */
    OVERLOADED
  }

  private final Reason reason;
  private final String lane;
  private final Duration retryAfter;

  JobRejectedException(Reason reason, String lane, Duration retryAfter, String message) {
    super(message, false);
    this.reason = Objects.requireNonNull(reason);
    this.lane = Objects.requireNonNull(lane);
    this.retryAfter = Objects.requireNonNull(retryAfter);
  }

  /** Which rule refused the jobs. */
  public Reason reason() {
    return reason;
  }

  /** The lane that refused; for a batch, the first refusing lane in priority order. */
  public String lane() {
    return lane;
  }

  /**
   * How long the lane needs, at the rate it has been starting jobs lately, to come back down to
   * where it accepts again: whole seconds from 1 to 300.
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
