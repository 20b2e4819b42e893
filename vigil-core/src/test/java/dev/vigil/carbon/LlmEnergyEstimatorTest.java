package dev.vigil.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.InvalidRequestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** EcoLogits' energy model against values worked out by hand (arithmetic in the comments). */
class LlmEnergyEstimatorTest {

  private static final double EPS = 1e-9;
  private final LlmEnergyEstimator estimator = LlmEnergyEstimator.create(CarbonSettings.defaults());

  @Test
  void unknown_model_uses_the_default_size_and_is_flagged_as_an_estimate() {
    // Default size 70B active = 70B total; provider openai -> PUE 1.2; 100 output tokens.
    // GPU per GPU: 100 x (8.91e-5 x 70 + 1.43e-3) = 100 x (0.006237 + 0.00143) = 0.7667 Wh
    // memory: 1.2 x 70 x 4 / 8 = 42 GB -> ceil(42 / 80) = 1 GPU
    // latency: 100 x (8.02e-4 x 70 + 2.23e-2) = 100 x (0.05614 + 0.0223) = 7.844 s
    // server: 7.844 / 3600 h x 1000 W x 1/8 = 0.272361111 Wh
    // call: 1.2 x (0.272361111 + 1 x 0.7667) = 1.2 x 1.039061111 = 1.246873333 Wh
    // CO2e at the world average: 1.246873333 / 1000 x 475 = 0.592264833 g
    CallEnergy call = estimator.estimate("openai", "acme-llm-1", 100, null);

    assertThat(call.estimatedSize()).isTrue();
    assertThat(call.sizeDisclosed()).isFalse();
    assertThat(call.activeParamsB()).isEqualTo(70.0);
    assertThat(call.gpus()).isEqualTo(1);
    assertThat(call.gpuEnergyWh()).isCloseTo(0.7667, within(EPS));
    assertThat(call.generationSeconds()).isCloseTo(7.844, within(EPS));
    assertThat(call.serverEnergyWh()).isCloseTo(0.272361111, within(EPS));
    assertThat(call.pue()).isEqualTo(1.2);
    assertThat(call.energyWh()).isCloseTo(1.246873333, within(EPS));
    assertThat(call.gramsPerKwh()).isEqualTo(475.0);
    assertThat(call.co2eGrams()).isCloseTo(0.592264833, within(EPS));
  }

  @Test
  void measured_latency_caps_the_generation_time() {
    // As above but the call took 2 s, less than the fitted 7.844 s:
    // server: 2 / 3600 x 1000 x 1/8 = 0.069444444 Wh
    // call: 1.2 x (0.069444444 + 0.7667) = 1.2 x 0.836144444 = 1.003373333 Wh
    CallEnergy call = estimator.estimate("openai", "acme-llm-1", 100, Duration.ofSeconds(2));

    assertThat(call.generationSeconds()).isEqualTo(2.0);
    assertThat(call.energyWh()).isCloseTo(1.003373333, within(EPS));
  }

  @Test
  void mixture_of_experts_uses_active_parameters_for_energy_and_total_for_gpus() {
    // open-mixtral-8x22b: 140.6B total, 39.1B active (Mistral); provider mistral_ai -> PUE 1.2.
    // GPU per GPU: 10 x (8.91e-5 x 39.1 + 1.43e-3) = 10 x (0.00348381 + 0.00143) = 0.0491381 Wh
    // memory: 1.2 x 140.6 x 4 / 8 = 84.36 GB -> ceil(84.36 / 80) = 2 GPUs -> 0.0982762 Wh
    // latency: 10 x (8.02e-4 x 39.1 + 2.23e-2) = 10 x 0.0536582 = 0.536582 s
    // server: 0.536582 / 3600 x 1000 x 2/8 = 0.037262639 Wh
    // call: 1.2 x (0.037262639 + 0.0982762) = 1.2 x 0.135538839 = 0.162646607 Wh
    CallEnergy call = estimator.estimate("mistral_ai", "open-mixtral-8x22b-2404", 10, null);

    assertThat(call.estimatedSize()).isFalse();
    assertThat(call.sizeDisclosed()).isTrue();
    assertThat(call.gpus()).isEqualTo(2);
    assertThat(call.gpuEnergyWh()).isCloseTo(0.0982762, within(EPS));
    assertThat(call.serverEnergyWh()).isCloseTo(0.037262639, within(EPS));
    assertThat(call.energyWh()).isCloseTo(0.162646607, within(EPS));
  }

  @Test
  void provider_pue_comes_from_the_shipped_table() {
    // gemini-1.5-flash-002: 45B (EcoLogits' 20-70 range); gcp.gemini -> PUE 1.10; 1 token.
    // GPU: 8.91e-5 x 45 + 1.43e-3 = 0.0040095 + 0.00143 = 0.0054395 Wh; 27 GB -> 1 GPU
    // latency: 8.02e-4 x 45 + 2.23e-2 = 0.05839 s; server: 0.05839 / 3600 x 125 = 0.002027431 Wh
    // call: 1.10 x (0.002027431 + 0.0054395) = 1.10 x 0.007466931 = 0.008213624 Wh
    CallEnergy call = estimator.estimate("gcp.gemini", "gemini-1.5-flash-002", 1, null);

    assertThat(call.pue()).isEqualTo(1.10);
    assertThat(call.energyWh()).isCloseTo(0.008213624, within(EPS));
  }

  @Test
  void gpu_count_follows_total_parameters_at_four_bits() {
    // 440B: 1.2 x 440 x 0.5 = 264 GB / 80 = 3.3 -> 4; 1760B: 1056 GB / 80 = 13.2 -> 14; 7.3B -> 1
    assertThat(LlmEnergyEstimator.gpusFor(440)).isEqualTo(4);
    assertThat(LlmEnergyEstimator.gpusFor(1760)).isEqualTo(14);
    assertThat(LlmEnergyEstimator.gpusFor(7.3)).isEqualTo(1);
  }

  @Test
  void configured_default_size_and_grid_intensity_are_used() {
    // Default 10B, grid 100 g/kWh, 1000 tokens, provider unknown -> PUE 1.2.
    // GPU: 1000 x (8.91e-5 x 10 + 1.43e-3) = 1000 x 0.002321 = 2.321 Wh; 6 GB -> 1 GPU
    // latency: 1000 x (8.02e-4 x 10 + 2.23e-2) = 1000 x 0.03032 = 30.32 s
    // server: 30.32 / 3600 x 125 = 1.052777778 Wh
    // call: 1.2 x (1.052777778 + 2.321) = 4.048533333 Wh
    // CO2e: 4.048533333 / 1000 x 100 = 0.404853333 g
    LlmEnergyEstimator small =
        LlmEnergyEstimator.create(CarbonSettings.defaults().withDefaultModelActiveParamsB(10))
            .withGridIntensity(100);

    CallEnergy call = small.estimate("someone", "private-model", 1000, null);

    assertThat(call.energyWh()).isCloseTo(4.048533333, within(EPS));
    assertThat(call.co2eGrams()).isCloseTo(0.404853333, within(EPS));
  }

  @Test
  void zero_output_tokens_cost_nothing_and_negative_ones_are_refused() {
    assertThat(estimator.estimate("openai", "gpt-4o", 0, Duration.ofSeconds(3)).energyWh())
        .isZero();
    assertThatThrownBy(() -> estimator.estimate("openai", "gpt-4o", -1, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("output_tokens");
  }
}
