package dev.vigil.bench;

import java.time.Duration;

/**
 * How big the overload scenario runs ({@link OverloadScenario}).
 *
 * @param window how long load is offered
 * @param jobLength how long every job's handler takes (a sleep: the stand-in for an LLM or network
 *     call), so the worker slots, not the CPU or HTTP, bound what the server processes
 * @param warmUp how long the calibration server is first offered the overload's rate of requests
 *     (of jobs that return at once), so the JIT has compiled the request path before anything is
 *     measured
 * @param calibration how much work the capacity calibration queues, in seconds of the slots'
 *     nominal rate ({@code workers / jobLength})
 * @param sensoryBacklog the {@code capacity} of {@code sensory} (the backlog at which it is
 *     overloaded; critical at 80 %), in seconds of the calibrated capacity
 * @param backgroundBacklog the {@code max_ready} of {@code background}, in seconds of the
 *     calibrated capacity
 * @param factor the offered load as a multiple of the calibrated capacity
 */
record OverloadSizes(
    Duration window,
    Duration jobLength,
    Duration warmUp,
    Duration calibration,
    Duration sensoryBacklog,
    Duration backgroundBacklog,
    double factor) {

  static final OverloadSizes FULL =
      new OverloadSizes(
          Duration.ofSeconds(60),
          Duration.ofMillis(50),
          Duration.ofSeconds(25),
          Duration.ofSeconds(3),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          2.0);

  static final OverloadSizes QUICK =
      new OverloadSizes(
          Duration.ofSeconds(6),
          Duration.ofMillis(50),
          Duration.ofSeconds(1),
          Duration.ofMillis(1_500),
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          2.0);

  OverloadSizes {
    if (window.toMillis() < 1_000) {
      throw new IllegalArgumentException("the overload window must be at least 1 s");
    }
    if (factor <= 0) {
      throw new IllegalArgumentException("the overload factor must be positive");
    }
  }

  /** These sizes offering load for {@code w} instead. */
  OverloadSizes withWindow(Duration w) {
    return new OverloadSizes(w, jobLength, warmUp, calibration, sensoryBacklog, backgroundBacklog, factor);
  }

  /** These sizes offering {@code f} times the calibrated capacity instead. */
  OverloadSizes withFactor(double f) {
    return new OverloadSizes(window, jobLength, warmUp, calibration, sensoryBacklog, backgroundBacklog, f);
  }

  /** What the worker slots could process if nothing but the handlers' length bounded them. */
  double nominalJobsPerSecond(int workers) {
    return workers * 1_000.0 / jobLength.toMillis();
  }
}
