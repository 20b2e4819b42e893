package dev.vigil.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.InvalidRequestException;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GridIntensityTest {

  private final GridIntensity grid = GridIntensity.shipped();

  @Test
  void known_countries_resolve_in_any_case() {
    assertThat(grid.gramsPerKwh("FR")).isEqualTo(67.0);
    assertThat(grid.gramsPerKwh("de")).isEqualTo(365.0);
    assertThat(grid.gramsPerKwh(" us ")).isEqualTo(379.0);
  }

  @Test
  void no_region_means_the_world_average() {
    assertThat(grid.gramsPerKwh(null)).isEqualTo(475.0);
    assertThat(grid.gramsPerKwh("  ")).isEqualTo(475.0);
    assertThat(CarbonSettings.defaults().gridIntensity()).isEqualTo(475.0);
  }

  @Test
  void an_unknown_region_is_refused_not_replaced_by_the_average() {
    assertThatThrownBy(() -> grid.gramsPerKwh("XX"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("carbon.region")
        .hasMessageContaining("XX");
    assertThatThrownBy(() -> CarbonSettings.defaults().withRegion("FRA"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("carbon.region");
  }

  @Test
  void carbon_is_energy_times_intensity() {
    // 250 Wh = 0.25 kWh; x 67 g/kWh = 16.75 g
    assertThat(GridIntensity.co2eGrams(250, 67)).isCloseTo(16.75, within(1e-12));
  }

  @Test
  void settings_name_every_invalid_field() {
    assertThatThrownBy(
            () ->
                new CarbonSettings(
                    Optional.of("ZZ"), 0.5, OptionalDouble.of(-5), -1, 0))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(
            e ->
                assertThat(((InvalidRequestException) e).errors())
                    .extracting(InvalidRequestException.FieldError::field)
                    .containsExactly(
                        "carbon.region",
                        "carbon.pue",
                        "carbon.cpu_tdp_watts",
                        "carbon.memory_watts_per_gb",
                        "carbon.default_model_active_params_b"));
  }

  @Test
  void settings_normalise_the_region_code() {
    CarbonSettings settings = CarbonSettings.defaults().withRegion(" se ");
    assertThat(settings.region()).contains("SE");
    assertThat(settings.gridIntensity()).isEqualTo(46.0);
  }
}
