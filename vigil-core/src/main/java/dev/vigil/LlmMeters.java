package dev.vigil;

import dev.vigil.llm.LlmUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The meters of recorded model calls: {@code vigil_llm_tokens_total{provider,model,token_type,lane,type}}
 * ({@code token_type} {@code input}, {@code output}, {@code cached_input}, {@code reasoning}),
 * {@code vigil_llm_cost_usd_total}, {@code vigil_llm_energy_wh_total}, {@code
 * vigil_llm_co2e_grams_total} and the {@code vigil_llm_call_seconds} histogram (the GenAI
 * duration buckets), all labelled {@code provider,model,lane,type}, and {@code
 * vigil_llm_unpriced_calls_total{provider,model}}.
 *
 * <p>Labels stay bounded: lanes and types by the engine's label functions; providers and models are
 * free text from handlers, so only the first {@value #MAX_PROVIDERS} providers and {@value
 * #MAX_MODELS} models seen get their own label, later ones (and names that are not label-safe)
 * count as {@code other}. Meters are built on first use and cached. {@link #DISABLED} records
 * nothing.
 */
final class LlmMeters {
  static final int MAX_PROVIDERS = 16;
  static final int MAX_MODELS = 64;

  /** The GenAI semantic conventions' buckets for {@code gen_ai.client.operation.duration}. */
  static final Duration[] BUCKETS =
      PhaseMeters.buckets(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  static final LlmMeters DISABLED = new LlmMeters(null, null, null, null);

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:/@-]{1,100}");

  private final MeterRegistry registry;
  private final UnaryOperator<String> laneLabel;
  private final UnaryOperator<String> typeLabel;
  private final Function<Meter, Meter> keep;
  private final Set<String> providers = ConcurrentHashMap.newKeySet();
  private final Set<String> models = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Meter> meters = new ConcurrentHashMap<>();

  /**
   * @param keep told of every meter built, so the engine can remove it when it stops
   */
  LlmMeters(
      MeterRegistry registry,
      UnaryOperator<String> laneLabel,
      UnaryOperator<String> typeLabel,
      Function<Meter, Meter> keep) {
    this.registry = registry;
    this.laneLabel = laneLabel;
    this.typeLabel = typeLabel;
    this.keep = keep;
  }

  /** A call was recorded; it took {@code took}. */
  void recorded(LlmUsage u, Duration took) {
    if (registry == null) {
      return;
    }
    String provider = bounded(providers, MAX_PROVIDERS, u.provider());
    String model = bounded(models, MAX_MODELS, u.model());
    String lane = u.lane() == null ? EngineMetrics.OTHER : laneLabel.apply(u.lane());
    String type = u.type() == null ? EngineMetrics.OTHER : typeLabel.apply(u.type());
    tokens(provider, model, "input", lane, type, u.tokens().input());
    tokens(provider, model, "output", lane, type, u.tokens().output());
    tokens(provider, model, "cached_input", lane, type, u.tokens().cachedInput());
    tokens(provider, model, "reasoning", lane, type, u.tokens().reasoning());
    if (u.costUsd() != null) {
      counter("vigil.llm.cost.usd", "US dollars spent on model calls, as priced when recorded", provider, model, lane, type)
          .increment(u.costUsd().doubleValue());
    } else {
      counter("vigil.llm.unpriced.calls", "Model calls no price row covers: their cost is unknown, not zero", provider, model, null, null)
          .increment();
    }
    counter("vigil.llm.energy.wh", "Estimated facility energy of model calls, in watt-hours", provider, model, lane, type)
        .increment(u.energyWh());
    counter("vigil.llm.co2e.grams", "Estimated carbon of model calls, in grams CO2e", provider, model, lane, type)
        .increment(u.co2eGrams());
    timer(provider, model, lane, type).record(Math.max(0, took.toNanos()), TimeUnit.NANOSECONDS);
  }

  private void tokens(String provider, String model, String tokenType, String lane, String type, long n) {
    if (n > 0) {
      String key = "vigil.llm.tokens\u0000" + provider + '\u0000' + model + '\u0000' + tokenType + '\u0000' + lane + '\u0000' + type;
      ((Counter)
              meters.computeIfAbsent(
                  key,
                  k ->
                      keep.apply(
                          Counter.builder("vigil.llm.tokens")
                              .description("Tokens used by model calls, by token type (input counts cached input too)")
                              .tags("provider", provider, "model", model, "token_type", tokenType, "lane", lane, "type", type)
                              .register(registry))))
          .increment(n);
    }
  }

  private Counter counter(String name, String description, String provider, String model, String lane, String type) {
    String key = name + '\u0000' + provider + '\u0000' + model + '\u0000' + lane + '\u0000' + type;
    return (Counter)
        meters.computeIfAbsent(
            key,
            k -> {
              var b = Counter.builder(name).description(description).tags("provider", provider, "model", model);
              if (lane != null) {
                b.tags("lane", lane, "type", type);
              }
              return keep.apply(b.register(registry));
            });
  }

  private Timer timer(String provider, String model, String lane, String type) {
    String key = "vigil.llm.call\u0000" + provider + '\u0000' + model + '\u0000' + lane + '\u0000' + type;
    return (Timer)
        meters.computeIfAbsent(
            key,
            k ->
                keep.apply(
                    Timer.builder("vigil.llm.call")
                        .description("Duration of model calls made by handlers")
                        .tags("provider", provider, "model", model, "lane", lane, "type", type)
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry)));
  }

  /** {@code value} while fewer than {@code cap} distinct values were seen and it is label-safe, else {@code other}. */
  static String bounded(Set<String> seen, int cap, String value) {
    if (value == null || !SAFE.matcher(value).matches()) {
      return EngineMetrics.OTHER;
    }
    if (seen.contains(value)) {
      return value;
    }
    synchronized (seen) {
      if (seen.size() < cap) {
        seen.add(value);
        return value;
      }
    }
    return seen.contains(value) ? value : EngineMetrics.OTHER;
  }
}
