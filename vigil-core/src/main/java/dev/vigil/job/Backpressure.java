package dev.vigil.job;

import java.util.Locale;
import java.util.Objects;

/**
 * A lane's backpressure: how far its ready jobs and its oldest ready job's wait have gone beyond
 * what the lane is sized for ({@link Lane#capacity()}, {@link Lane#targetWait()}), as a level and
 * the reason in words. The level decides admission: at {@link Level#CRITICAL} the lowest-weight
 * lanes shed new jobs, at {@link Level#OVERLOADED} every lane that is not protected refuses them.
 * The rule and its thresholds are in {@code docs/load.md}.
 *
 * @param reason the measures behind the level, for operators (counts and times, never job data)
 */
public record Backpressure(Level level, String reason) {

  /** A lane not measured yet. */
  public static final Backpressure NORMAL = new Backpressure(Level.NORMAL, "not measured yet");

  public Backpressure {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(reason, "reason");
  }

  /** The four levels, lowest first; {@link #value()} is 0 to 3. */
  public enum Level {
    NORMAL,
    WARNING,
    CRITICAL,
    OVERLOADED;

    /** 0 normal, 1 warning, 2 critical, 3 overloaded: the gauge's value and the API's {@code level}. */
    public int value() {
      return ordinal();
    }

    /** The lower-case name the API shows as {@code state}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this level is at least {@code other}. */
    public boolean atLeast(Level other) {
      return compareTo(other) >= 0;
    }
  }
}
