package dev.vigil;

import dev.vigil.job.Hold;
import dev.vigil.limits.BreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The circuit breakers' meters: {@code vigil_breaker_state{key}} (0 closed, 1 half-open, 2 open)
 * and {@code vigil_breaker_transitions_total{key,to}}.
 *
 * <p>The {@code key} label is bounded as the job meters' {@code type} label is: the breaker of a
 * job type is labelled {@code type:} and the type's label ({@link TypeLabels}: a type beyond the
 * cap is {@code type:other}, whose gauge shows the most open of those breakers); the breaker of a
 * limit key exists only for keys that {@code limits:} names exactly, so its label is the key. A
 * gauge is registered with its breaker's first attempt and reads the breakers when scraped.
 */
final class BreakerMeters {
  private final EngineMetrics metrics;
  private final ConcurrentHashMap<String, Boolean> gauges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> transitions = new ConcurrentHashMap<>();

  BreakerMeters(EngineMetrics metrics) {
    this.metrics = metrics;
  }

  /** The bounded label of breaker {@code key}, of job type {@code type} or of a limit key (null type). */
  String label(String key, String type) {
    return type == null ? key : Hold.typeKey(metrics.typeLabel(type));
  }

  /** Registers, once per label, the gauge of {@code label}, whose value {@code state} reads. */
  <T> void gauge(String label, T source, ToDoubleFunction<T> state) {
    if (!metrics.enabled() || gauges.putIfAbsent(label, Boolean.TRUE) != null) {
      return;
    }
    metrics.register(
        r ->
            Gauge.builder("vigil.breaker.state", source, state)
                .description("A circuit breaker's state on this node: 0 closed, 1 half-open, 2 open")
                .tag("key", label)
                .strongReference(true)
                .register(r));
  }

  /** Counts a change of the breaker labelled {@code label} to {@code to}. */
  void changed(String label, BreakerState to) {
    if (!metrics.enabled()) {
      return;
    }
    transitions
        .computeIfAbsent(
            label + '\u0000' + to.wireName(),
            k ->
                metrics.register(
                    r ->
                        Counter.builder("vigil.breaker.transitions")
                            .description("Changes of a circuit breaker's state, by the state changed to")
                            .tags("key", label, "to", to.wireName())
                            .register(r)))
        .increment();
  }
}
