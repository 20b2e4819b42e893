package dev.vigil;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.JobHandler;
import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.KeyLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything the engine was built with; immutable once the engine starts.
 *
 * @param redactor rewrites text before the engine stores it where operators read it (error
 *     messages and stacks, progress messages, span attributes); the identity by default
 * @param prefetch jobs the dispatcher may claim ahead of free slots, all lanes together (see
 *     {@link Dispatcher}); negative for the default of four per worker slot
 * @param claimLimits bounds on remote claims; null for {@link ClaimLimits#DEFAULTS}
 * @param breakers when circuit breakers open; null for {@link BreakerSettings#DEFAULTS}
 */
record EngineConfig(
    List<Lane> lanes,
    int workers,
    Map<String, JobHandler> handlers,
    RetryPolicy defaultRetry,
    Map<String, RetryPolicy> retryByType,
    Duration defaultTimeout,
    Map<String, Duration> timeoutByType,
    Duration leaseDuration,
    Duration shutdownGrace,
    int maxPayloadBytes,
    InstantSource clock,
    String workerId,
    ObjectMapper mapper,
    Duration maintenanceInterval,
    UnaryOperator<String> redactor,
    int prefetch,
    ClaimLimits claimLimits,
    KeyLimits keyLimits,
    BreakerSettings breakers) {

  /** Jobs claimed ahead of free slots by default, per worker slot. */
  static final int PREFETCH_PER_WORKER = 4;

  EngineConfig {
    redactor = redactor == null ? UnaryOperator.identity() : redactor;
    prefetch = prefetch < 0 ? PREFETCH_PER_WORKER * workers : prefetch;
    claimLimits = claimLimits == null ? ClaimLimits.DEFAULTS : claimLimits;
    breakers = breakers == null ? BreakerSettings.DEFAULTS : breakers;
    lanes = List.copyOf(lanes);
    handlers = Map.copyOf(handlers);
    retryByType = Map.copyOf(retryByType);
    timeoutByType = Map.copyOf(timeoutByType);
  }

  /** The configuration without a redactor, with the default prefetch. */
  EngineConfig(
      List<Lane> lanes,
      int workers,
      Map<String, JobHandler> handlers,
      RetryPolicy defaultRetry,
      Map<String, RetryPolicy> retryByType,
      Duration defaultTimeout,
      Map<String, Duration> timeoutByType,
      Duration leaseDuration,
      Duration shutdownGrace,
      int maxPayloadBytes,
      InstantSource clock,
      String workerId,
      ObjectMapper mapper,
      Duration maintenanceInterval) {
    this(
        lanes, workers, handlers, defaultRetry, retryByType, defaultTimeout, timeoutByType,
        leaseDuration, shutdownGrace, maxPayloadBytes, clock, workerId, mapper, maintenanceInterval,
        null, -1, null, null, null);
  }

  /** Redacts text that is about to be stored; null stays null. */
  String redact(String text) {
    return text == null ? null : redactor.apply(text);
  }

  RetryPolicy retryFor(String type) {
    return retryByType.getOrDefault(type, defaultRetry);
  }

  Duration timeoutFor(String type) {
    return timeoutByType.getOrDefault(type, defaultTimeout);
  }

  Optional<Lane> lane(String name) {
    return lanes.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  int laneIndex(String name) {
    for (int i = 0; i < lanes.size(); i++) {
      if (lanes.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
