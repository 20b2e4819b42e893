package dev.vigil.carbon;

import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The settings of Vigil's energy and carbon estimates: where Vigil runs and how its machine draws
 * power. Immutable; every value is checked when the settings are built, so a bad configuration
 * fails at start-up rather than producing silently wrong figures.
 *
 * @param region ISO 3166-1 alpha-2 country code of the grid Vigil's own process draws from, or
 *     empty for the world average (475 gCO2e/kWh)
 * @param pue power usage effectiveness of the room Vigil runs in (1.0 for a machine on a desk,
 *     about 1.1 to 1.6 in data centres); multiplies Vigil's own process energy
 * @param cpuTdpWatts thermal design power of the whole CPU package, used when RAPL counters cannot
 *     be read; empty means {@value #DEFAULT_WATTS_PER_CORE} W per available core
 * @param memoryWattsPerGb memory power per GB of resident memory (CodeCarbon's 3 W per 8 GB)
 * @param defaultModelActiveParamsB size, in billions of active parameters, assumed for a model the
 *     shipped table does not know; such calls are flagged as estimates
 */
public record CarbonSettings(
    Optional<String> region,
    double pue,
    OptionalDouble cpuTdpWatts,
    double memoryWattsPerGb,
    double defaultModelActiveParamsB) {

  /** Watts per available core when no TDP is configured and RAPL is unreadable. */
  public static final double DEFAULT_WATTS_PER_CORE = 10.0;

  /** CodeCarbon's memory power: 3 W per 8 GB. */
  public static final double DEFAULT_MEMORY_WATTS_PER_GB = 0.375;

  /** Active parameters, in billions, of an unknown model: a mid-sized (70B-class) model. */
  public static final double DEFAULT_MODEL_ACTIVE_PARAMS_B = 70.0;

  /**
   * Checks every value.
   *
   * @throws InvalidRequestException naming each invalid field ({@code carbon.region}, {@code
   *     carbon.pue}, {@code carbon.cpu_tdp_watts}, {@code carbon.memory_watts_per_gb}, {@code
   *     carbon.default_model_active_params_b})
   */
  public CarbonSettings {
    region = region.map(r -> r.trim().toUpperCase(Locale.ROOT)).filter(r -> !r.isEmpty());
    List<FieldError> errors = new ArrayList<>();
    region.ifPresent(
        r -> {
          if (!GridIntensity.shipped().knows(r)) {
            errors.add(
                new FieldError(
                    "carbon.region",
                    "unknown region '"
                        + r
                        + "': use an ISO 3166-1 alpha-2 code from the shipped table, or leave it"
                        + " unset for the world average"));
          }
        });
    if (!(pue >= 1.0 && pue <= 3.0)) {
      errors.add(new FieldError("carbon.pue", "must be between 1.0 and 3.0 (got " + pue + ")"));
    }
    if (cpuTdpWatts.isPresent()
        && !(cpuTdpWatts.getAsDouble() > 0 && cpuTdpWatts.getAsDouble() <= 2000)) {
      errors.add(
          new FieldError(
              "carbon.cpu_tdp_watts",
              "must be above 0 and at most 2000 (got " + cpuTdpWatts.getAsDouble() + ")"));
    }
    if (!(memoryWattsPerGb >= 0 && memoryWattsPerGb <= 10)) {
      errors.add(
          new FieldError(
              "carbon.memory_watts_per_gb",
              "must be between 0 and 10 (got " + memoryWattsPerGb + ")"));
    }
    if (!(defaultModelActiveParamsB > 0 && defaultModelActiveParamsB <= 10_000)) {
      errors.add(
          new FieldError(
              "carbon.default_model_active_params_b",
              "must be above 0 and at most 10000 (got " + defaultModelActiveParamsB + ")"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  /** World-average grid, PUE 1.0, TDP per core, CodeCarbon's memory power, 70B unknown models. */
  public static CarbonSettings defaults() {
    return new CarbonSettings(
        Optional.empty(),
        1.0,
        OptionalDouble.empty(),
        DEFAULT_MEMORY_WATTS_PER_GB,
        DEFAULT_MODEL_ACTIVE_PARAMS_B);
  }

  /** These settings with another region ({@code null} or blank for the world average). */
  public CarbonSettings withRegion(String code) {
    return new CarbonSettings(
        Optional.ofNullable(code), pue, cpuTdpWatts, memoryWattsPerGb, defaultModelActiveParamsB);
  }

  /** These settings with another PUE for Vigil's own process. */
  public CarbonSettings withPue(double value) {
    return new CarbonSettings(
        region, value, cpuTdpWatts, memoryWattsPerGb, defaultModelActiveParamsB);
  }

  /** These settings with a configured CPU package TDP. */
  public CarbonSettings withCpuTdpWatts(double watts) {
    return new CarbonSettings(
        region, pue, OptionalDouble.of(watts), memoryWattsPerGb, defaultModelActiveParamsB);
  }

  /** These settings with another memory power per GB. */
  public CarbonSettings withMemoryWattsPerGb(double watts) {
    return new CarbonSettings(region, pue, cpuTdpWatts, watts, defaultModelActiveParamsB);
  }

  /** These settings with another size for unknown models. */
  public CarbonSettings withDefaultModelActiveParamsB(double billions) {
    return new CarbonSettings(region, pue, cpuTdpWatts, memoryWattsPerGb, billions);
  }

  /** The grid intensity of {@link #region()}, in gCO2e per kWh. */
  public double gridIntensity() {
    return GridIntensity.shipped().gramsPerKwh(region.orElse(null));
  }
}
