package dev.vigil.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The states of a job. A job is born {@code scheduled} (when it has a future {@code run_at}) or
 * {@code ready}; it is {@code running} while a worker holds its lease, and ends in one of the
 * terminal states {@code succeeded}, {@code dead} or {@code cancelled}.
 *
 * <pre>
 * scheduled → ready → running → succeeded | scheduled (retry) | dead
 * scheduled | ready → cancelled;  running → cancelled (cooperative)
 * running → ready (lease released or expired with attempts left)
 * dead | cancelled → ready (manual retry)
 * </pre>
 */
public enum JobState {
  SCHEDULED,
  READY,
  RUNNING,
  SUCCEEDED,
  DEAD,
  CANCELLED;

  private static final Set<JobState> ACTIVE = EnumSet.of(SCHEDULED, READY, RUNNING);

  /** The lower-case name used on the wire and in the stores, e.g. {@code "ready"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException if {@code name} is not a state
   */
  public static JobState fromWire(String name) {
    for (JobState state : values()) {
      if (state.wireName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown job state: " + name);
  }

  /** True for {@code succeeded}, {@code dead} and {@code cancelled}: nothing happens after them but a manual retry. */
  public boolean isTerminal() {
    return !ACTIVE.contains(this);
  }

  /** True for {@code scheduled}, {@code ready} and {@code running}: the states a unique key guards. */
  public boolean isActive() {
    return ACTIVE.contains(this);
  }

  /** Whether the lifecycle allows going from this state to {@code target}. */
  public boolean canTransitionTo(JobState target) {
    return switch (this) {
      case SCHEDULED -> target == READY || target == CANCELLED;
      case READY -> target == RUNNING || target == CANCELLED;
      case RUNNING ->
          target == SUCCEEDED
              || target == SCHEDULED
              || target == READY
              || target == DEAD
              || target == CANCELLED;
      case DEAD, CANCELLED -> target == READY;
      case SUCCEEDED -> false;
    };
  }

  /**
   * Checks a transition.
   *
   * @throws IllegalTransitionException if the lifecycle does not allow it
   */
  public void checkTransitionTo(JobState target, String jobId) {
    if (!canTransitionTo(target)) {
      throw new IllegalTransitionException(jobId, this, target);
    }
  }
}
