package dev.vigil.carbon;

import dev.vigil.InvalidRequestException;
import java.time.Duration;
import java.util.Optional;

/**
 * Estimates the energy and carbon of calls to hosted language models after EcoLogits' published
 * method (genai-impact/ecologits, docs/methodology/llm_inference.md, the linear-fit version):
 *
 * <pre>
 *   E_gpu      = output_tokens x (ALPHA x P_active + BETA)              Wh, per GPU
 *   dT         = min(output_tokens x (A x P_active + B), measured latency)   s
 *   gpus       = ceil(1.2 x P_total x Q / 8 / 80 GB)
 *   E_server   = dT / 3600 x 1000 W x gpus / 8                          Wh (server without GPUs)
 *   E_call     = PUE_provider x (E_server + gpus x E_gpu)               Wh
 *   CO2e       = E_call / 1000 x grid intensity                         g
 * </pre>
 *
 * <p>The provider's grid is not known, so carbon uses the world average unless another intensity
 * is given. Only output tokens count: input tokens are ignored by this version of the method.
 * Models not in the shipped table use the configured default size and are flagged {@link
 * CallEnergy#estimatedSize()}.
 */
public final class LlmEnergyEstimator {

  /** Wh per output token per billion active parameters (EcoLogits' fit on A100 measurements). */
  static final double GPU_ENERGY_ALPHA = 8.91e-5;

  /** Wh per output token, fixed part. */
  static final double GPU_ENERGY_BETA = 1.43e-3;

  /** Seconds per output token per billion active parameters. */
  static final double LATENCY_ALPHA = 8.02e-4;

  /** Seconds per output token, fixed part. */
  static final double LATENCY_BETA = 2.23e-2;

  /** Bits per weight (EcoLogits' default quantization). */
  static final double QUANTIZATION_BITS = 4;

  /** Memory overhead over the weights. */
  static final double MEMORY_OVERHEAD = 1.2;

  /** GB of memory per GPU (NVIDIA A100 80GB). */
  static final double GPU_MEMORY_GB = 80;

  /** Power of the server without its GPUs, W. */
  static final double SERVER_POWER_W = 1000;

  /** GPUs installed in the server. */
  static final int SERVER_GPUS = 8;

  private final ModelSizes sizes;
  private final double defaultActiveParamsB;
  private final double gramsPerKwh;

  private LlmEnergyEstimator(ModelSizes sizes, double defaultActiveParamsB, double gramsPerKwh) {
    this.sizes = sizes;
    this.defaultActiveParamsB = defaultActiveParamsB;
    this.gramsPerKwh = gramsPerKwh;
  }

  /** An estimator with the shipped model table, carbon at the world-average grid intensity. */
  public static LlmEnergyEstimator create(CarbonSettings settings) {
    return new LlmEnergyEstimator(
        ModelSizes.shipped(), settings.defaultModelActiveParamsB(), GridIntensity.WORLD_AVERAGE);
  }

  /** The same estimator with carbon at another grid intensity (gCO2e/kWh). */
  public LlmEnergyEstimator withGridIntensity(double gramsPerKwhValue) {
    if (!(gramsPerKwhValue >= 0)) {
      throw new InvalidRequestException("grams_per_kwh", "must be 0 or more");
    }
    return new LlmEnergyEstimator(sizes, defaultActiveParamsB, gramsPerKwhValue);
  }

  /**
   * Estimates one call.
   *
   * @param provider {@code gen_ai.provider.name}, e.g. {@code openai}; chooses the PUE
   * @param model {@code gen_ai.request.model} or the response model, e.g. {@code
   *     gpt-4o-mini-2024-07-18}
   * @param outputTokens output tokens, reasoning tokens included
   * @param latency the call's measured duration, or {@code null} when not measured
   * @throws InvalidRequestException when {@code outputTokens} is negative or the latency negative
   */
  public CallEnergy estimate(String provider, String model, long outputTokens, Duration latency) {
    if (outputTokens < 0) {
      throw new InvalidRequestException("output_tokens", "must be 0 or more");
    }
    if (latency != null && latency.isNegative()) {
      throw new InvalidRequestException("latency", "must be 0 or more");
    }
    Optional<ModelSizes.ModelSize> known = sizes.lookup(model);
    double active = known.map(ModelSizes.ModelSize::activeB).orElse(defaultActiveParamsB);
    double total = known.map(ModelSizes.ModelSize::totalB).orElse(defaultActiveParamsB);
    int gpus = gpusFor(total);
    double gpuWh = outputTokens * (GPU_ENERGY_ALPHA * active + GPU_ENERGY_BETA);
    double seconds = outputTokens * (LATENCY_ALPHA * active + LATENCY_BETA);
    if (latency != null) {
      seconds = Math.min(seconds, latency.toNanos() / 1e9);
    }
    double serverWh = seconds / 3600.0 * SERVER_POWER_W * gpus / SERVER_GPUS;
    double pue = ProviderPue.of(provider);
    double energyWh = pue * (serverWh + gpus * gpuWh);
    return new CallEnergy(
        energyWh,
        GridIntensity.co2eGrams(energyWh, gramsPerKwh),
        gpus * gpuWh,
        serverWh,
        seconds,
        gpus,
        active,
        total,
        pue,
        gramsPerKwh,
        known.isEmpty(),
        known.map(ModelSizes.ModelSize::disclosed).orElse(false));
  }

  static int gpusFor(double totalParamsB) {
    double memoryGb = MEMORY_OVERHEAD * totalParamsB * QUANTIZATION_BITS / 8;
    return Math.max(1, (int) Math.ceil(memoryGb / GPU_MEMORY_GB));
  }
}
