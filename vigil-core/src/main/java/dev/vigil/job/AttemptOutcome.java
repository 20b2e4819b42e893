package dev.vigil.job;

import java.util.Locale;

/** How one attempt at a job ended. */
public enum AttemptOutcome {
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  LEASE_EXPIRED,
  CANCELLED;

  /** The lower-case name used on the wire and in the stores, e.g. {@code "timed_out"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException if {@code name} is not an outcome
   */
  public static AttemptOutcome fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
