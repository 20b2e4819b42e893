package dev.vigil.server;

import dev.vigil.InvalidRequestException;
import dev.vigil.carbon.CarbonSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The {@code carbon.*} keys of the configuration, and their environment variables: where Vigil
 * runs and how its machine draws power, for the energy and carbon estimates (docs/carbon.md).
 *
 * <pre>{@code
 * carbon:
 *   {region: FR, pue: 1.2, cpu_tdp_watts: 65, memory_watts_per_gb: 0.375,
 *    default_model_active_params_b: 70}
 * }</pre>
 */
final class CarbonConfig {
  static final Set<String> KEYS =
      Set.of(
          "region", "pue", "cpu_tdp_watts", "memory_watts_per_gb", "default_model_active_params_b");

  private CarbonConfig() {}

  /** Environment variable → key, for {@link ConfigLoader#ENV}. */
  static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_CARBON_REGION", "carbon.region");
    m.put("VIGIL_CARBON_PUE", "carbon.pue");
    m.put("VIGIL_CARBON_CPU_TDP_WATTS", "carbon.cpu_tdp_watts");
    m.put("VIGIL_CARBON_MEMORY_WATTS_PER_GB", "carbon.memory_watts_per_gb");
    m.put("VIGIL_CARBON_DEFAULT_MODEL_ACTIVE_PARAMS_B", "carbon.default_model_active_params_b");
    return m;
  }

  /** The {@code carbon.*} keys; {@code d} holds the values of the keys not set. */
  static CarbonSettings carbon(ConfigTree t, CarbonSettings d) {
    t.requireKnownKeys("carbon", KEYS);
    Optional<String> region = t.text("carbon.region").or(d::region);
    double pue = number(t, "carbon.pue").orElse(d.pue());
    OptionalDouble tdp = number(t, "carbon.cpu_tdp_watts");
    double memory = number(t, "carbon.memory_watts_per_gb").orElse(d.memoryWattsPerGb());
    double params =
        number(t, "carbon.default_model_active_params_b").orElse(d.defaultModelActiveParamsB());
    try {
      return new CarbonSettings(
          region, pue, tdp.isPresent() ? tdp : d.cpuTdpWatts(), memory, params);
    } catch (InvalidRequestException e) {
      InvalidRequestException.FieldError first = e.errors().get(0);
      throw new ConfigException(t.label(first.field()), first.message());
    }
  }

  private static OptionalDouble number(ConfigTree t, String key) {
    var text = t.text(key);
    if (text.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double value = Double.parseDouble(text.get().strip());
      if (!Double.isFinite(value)) {
        throw new NumberFormatException();
      }
      return OptionalDouble.of(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          t.label(key), "must be a number (got '" + ConfigTree.shorten(text.get()) + "')");
    }
  }
}
