package dev.vigil.job;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A lane: a named queue with a share of the worker slots. Lanes are listed in priority order,
 * highest first. The dispatcher shares a node's free slots among lanes with ready work in
 * proportion to their {@code weight}; a lane never runs more than {@code maxConcurrency} jobs at
 * once (all nodes and remote workers together); and a lane only takes a slot if at least {@code
 * reserved} other slots stay free for the lanes above it. A paused lane accepts jobs but starts
 * none. {@code capacity} is the backlog (scheduled plus ready) beyond which the lane counts as
 * overloaded.
 */
public record Lane(
    String name, int weight, int maxConcurrency, int reserved, int capacity, boolean paused) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  /** No cap on concurrency beyond the worker slots. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

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
  }

  /** A lane with the given name and weight, no cap, nothing reserved, capacity 10,000. */
  public static Lane of(String name, int weight) {
    return new Lane(name, weight, UNLIMITED, 0, 10_000, false);
  }

  public Lane withWeight(int v) {
    return new Lane(name, v, maxConcurrency, reserved, capacity, paused);
  }

  public Lane withMaxConcurrency(int v) {
    return new Lane(name, weight, v, reserved, capacity, paused);
  }

  public Lane withReserved(int v) {
    return new Lane(name, weight, maxConcurrency, v, capacity, paused);
  }

  public Lane withCapacity(int v) {
    return new Lane(name, weight, maxConcurrency, reserved, v, paused);
  }

  public Lane withPaused(boolean v) {
    return new Lane(name, weight, maxConcurrency, reserved, capacity, v);
  }
}
