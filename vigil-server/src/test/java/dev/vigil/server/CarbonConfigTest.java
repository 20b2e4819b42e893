package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.carbon.CarbonSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code carbon.*} keys and {@code VIGIL_CARBON_*}. */
class CarbonConfigTest {
  @TempDir Path dir;

  private ServerConfig load(String text) throws IOException {
    return ServerConfig.load(Files.writeString(dir.resolve("vigil.yaml"), text), Map.of());
  }

  @Test
  void defaults_are_the_world_average_and_codecarbon_constants() {
    CarbonSettings c = ServerConfig.load(null, Map.of()).carbon();

    assertThat(c).isEqualTo(CarbonSettings.defaults());
    assertThat(c.region()).isEmpty();
    assertThat(c.gridIntensity()).isEqualTo(475.0);
    assertThat(c.pue()).isEqualTo(1.0);
    assertThat(c.cpuTdpWatts()).isEmpty();
    assertThat(c.memoryWattsPerGb()).isEqualTo(0.375);
    assertThat(c.defaultModelActiveParamsB()).isEqualTo(70.0);
  }

  @Test
  void every_key_is_read_from_the_file_and_the_environment_wins() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("vigil.yaml"),
            """
            carbon:
              region: fr
              pue: 1.2
              cpu_tdp_watts: 65
              memory_watts_per_gb: 0.5
              default_model_active_params_b: 30
            """);
    CarbonSettings fromFile = ServerConfig.load(file, Map.of()).carbon();
    assertThat(fromFile.region()).contains("FR");
    assertThat(fromFile.gridIntensity()).isEqualTo(67.0);
    assertThat(fromFile.pue()).isEqualTo(1.2);
    assertThat(fromFile.cpuTdpWatts()).isEqualTo(OptionalDouble.of(65));
    assertThat(fromFile.memoryWattsPerGb()).isEqualTo(0.5);
    assertThat(fromFile.defaultModelActiveParamsB()).isEqualTo(30.0);

    CarbonSettings fromEnv =
        ServerConfig.load(
                file,
                Map.of(
                    "VIGIL_CARBON_REGION", "SE",
                    "VIGIL_CARBON_PUE", "1.1",
                    "VIGIL_CARBON_CPU_TDP_WATTS", "95",
                    "VIGIL_CARBON_MEMORY_WATTS_PER_GB", "0.3",
                    "VIGIL_CARBON_DEFAULT_MODEL_ACTIVE_PARAMS_B", "8"))
            .carbon();
    assertThat(fromEnv)
        .isEqualTo(
            new CarbonSettings(
                java.util.Optional.of("SE"), 1.1, OptionalDouble.of(95), 0.3, 8));
  }

  @Test
  void bad_values_are_refused_with_the_key_and_reason() {
    assertRefused("carbon: [FR]\n", "carbon: must be a mapping of keys");
    assertRefused("carbon: {country: FR}\n", "carbon.country: unknown key");
    assertRefused(
        "carbon: {region: XX}\n",
        "carbon.region: unknown region 'XX': use an ISO 3166-1 alpha-2 code from the shipped"
            + " table, or leave it unset for the world average");
    assertRefused("carbon: {pue: high}\n", "carbon.pue: must be a number (got 'high')");
    assertRefused("carbon: {pue: 0.9}\n", "carbon.pue: must be between 1.0 and 3.0 (got 0.9)");
    assertRefused(
        "carbon: {cpu_tdp_watts: 0}\n",
        "carbon.cpu_tdp_watts: must be above 0 and at most 2000 (got 0.0)");
    assertRefused(
        "carbon: {memory_watts_per_gb: -1}\n",
        "carbon.memory_watts_per_gb: must be between 0 and 10 (got -1.0)");
    assertRefused(
        "carbon: {default_model_active_params_b: 0}\n",
        "carbon.default_model_active_params_b: must be above 0 and at most 10000 (got 0.0)");
  }

  @Test
  void a_bad_environment_value_names_its_variable() {
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_CARBON_PUE", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VIGIL_CARBON_PUE (carbon.pue): must be between 1.0 and 3.0 (got 5.0)");
    assertThatThrownBy(
            () ->
                ServerConfig.load(null, Map.of("VIGIL_CARBON_DEFAULT_MODEL_ACTIVE_PARAMS_B", "NaN")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "VIGIL_CARBON_DEFAULT_MODEL_ACTIVE_PARAMS_B (carbon.default_model_active_params_b):"
                + " must be a number (got 'NaN')");
  }

  private void assertRefused(String text, String message) {
    assertThatThrownBy(() -> load(text)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
