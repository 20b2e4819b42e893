package dev.vigil.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A lane: a named queue with a share of the worker slots. Lanes are listed in priority order,
 * highest first. The dispatcher shares a node's free slots among lanes with ready work in
 * proportion to their {@code weight}; a lane never runs more than {@code maxConcurrency} jobs at
 * once (all nodes and remote workers together); and a lane only takes a slot if at least {@code
 * reserved} other slots stay free for the lanes above it. A paused lane accepts jobs but starts
 * none.
 *
 * <p>Load protection reads the rest. {@code capacity} is the backlog the lane is sized for
 * (backpressure compares the lane's ready jobs with it; the backlog health check, its scheduled
 * plus ready jobs) and {@code targetWait} how long a ready job may wait before it is late for its
 * purpose: the lane's backpressure level rises as its ready jobs pass fractions of the one or its
 * oldest ready job's wait passes multiples of the other, and at the higher levels the lane
 * refuses new jobs unless it is {@code isProtected}. {@code maxReady} is a hard cap on its ready
 * jobs ({@link #UNLIMITED} for none): an enqueue that would pass it is refused.
 */
public record Lane(
    String name,
    int weight,
    int maxConcurrency,
    int reserved,
    int capacity,
    boolean paused,
    Duration targetWait,
    int maxReady,
    boolean isProtected) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  /** No cap: on concurrency beyond the worker slots, or on ready jobs. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** The target wait of a lane not named in {@link #defaultTargetWait}. */
  public static final Duration TARGET_WAIT = Duration.ofSeconds(60);

  private static final Map<String, Duration> TARGET_WAITS =
      Map.of(
          "cognition", Duration.ofSeconds(1),
          "social", Duration.ofSeconds(10),
          "sensory", Duration.ofSeconds(60),
          "background", Duration.ofMinutes(10));

  /** The defaults, after the chat bot's queues: cognition 8, social 4, sensory 2, background 1. */
  public static final List<Lane> DEFAULTS =
      List.of(
          new Lane("cognition", 8, UNLIMITED, 0, 10_000, false),
          new Lane("social", 4, UNLIMITED, 1, 10_000, false),
          new Lane("sensory", 2, UNLIMITED, 1, 10_000, false),
          new Lane("background", 1, UNLIMITED, 2, 100_000, false));

  /** The lane a job goes to when its request names none. */
  public static final String DEFAULT_LANE = "background";

  public Lane {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "lane name must be lower-case letters, digits, '_' or '-', starting with a letter: " + name);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("lane " + name + ": weight must be at least 1");
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("lane " + name + ": max concurrency must be at least 1");
    }
    if (reserved < 0) {
      throw new IllegalArgumentException("lane " + name + ": reserved must not be negative");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("lane " + name + ": capacity must be at least 1");
    }
    if (targetWait == null || targetWait.toMillis() < 1) {
      throw new IllegalArgumentException("lane " + name + ": target wait must be at least 1 ms");
    }
    if (maxReady < 1) {
      throw new IllegalArgumentException("lane " + name + ": max ready must be at least 1");
    }
  }

  /**
   * A lane with the load settings of its name: the target wait of {@link #defaultTargetWait}, no
   * cap on ready jobs, protected if it is {@code cognition}.
   */
  public Lane(String name, int weight, int maxConcurrency, int reserved, int capacity, boolean paused) {
    this(
        name, weight, maxConcurrency, reserved, capacity, paused,
        defaultTargetWait(name), UNLIMITED, protectedByDefault(name));
  }

  /** A lane with the given name and weight, no cap, nothing reserved, capacity 10,000. */
  public static Lane of(String name, int weight) {
    return new Lane(name, weight, UNLIMITED, 0, 10_000, false);
  }

  /**
   * The target wait a lane gets unless configured: cognition 1 s, social 10 s, sensory 60 s,
   * background 10 min, any other lane {@link #TARGET_WAIT}.
   */
  public static Duration defaultTargetWait(String name) {
    return TARGET_WAITS.getOrDefault(name, TARGET_WAIT);
  }

  /** Whether a lane is protected unless configured: only {@code cognition} is. */
  public static boolean protectedByDefault(String name) {
    return "cognition".equals(name);
  }

  public Lane withWeight(int v) {
    return new Lane(name, v, maxConcurrency, reserved, capacity, paused, targetWait, maxReady, isProtected);
  }

  public Lane withMaxConcurrency(int v) {
    return new Lane(name, weight, v, reserved, capacity, paused, targetWait, maxReady, isProtected);
  }

  public Lane withReserved(int v) {
    return new Lane(name, weight, maxConcurrency, v, capacity, paused, targetWait, maxReady, isProtected);
  }

  public Lane withCapacity(int v) {
    return new Lane(name, weight, maxConcurrency, reserved, v, paused, targetWait, maxReady, isProtected);
  }

  public Lane withPaused(boolean v) {
    return new Lane(name, weight, maxConcurrency, reserved, capacity, v, targetWait, maxReady, isProtected);
  }

  public Lane withTargetWait(Duration v) {
    return new Lane(name, weight, maxConcurrency, reserved, capacity, paused, v, maxReady, isProtected);
  }

  /** The hard cap on ready jobs; {@link #UNLIMITED} for none. */
  public Lane withMaxReady(int v) {
    return new Lane(name, weight, maxConcurrency, reserved, capacity, paused, targetWait, v, isProtected);
  }

  /** Whether the lane keeps accepting jobs when its backpressure is critical or overloaded. */
  public Lane withProtected(boolean v) {
    return new Lane(name, weight, maxConcurrency, reserved, capacity, paused, targetWait, maxReady, v);
  }
}
