package dev.vigil.carbon;

import dev.vigil.InvalidRequestException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carbon intensity of electricity by country: the shipped table of yearly country averages (ISO
 * 3166-1 alpha-2 code to gCO2e per kWh; its source and year are in {@code grid-intensity.csv}),
 * and the world average of {@value #WORLD_AVERAGE} gCO2e/kWh when no region is configured.
 *
 * <p>A code the table does not know is refused rather than replaced by the world average, so a typo
 * in the configuration cannot silently change every carbon figure.
 */
public final class GridIntensity {

  /** World average grid intensity, gCO2e/kWh (IEA 2019, CodeCarbon's default). */
  public static final double WORLD_AVERAGE = 475.0;

  private static final GridIntensity SHIPPED = load();

  private final Map<String, Double> byCode;

  private GridIntensity(Map<String, Double> byCode) {
    this.byCode = Map.copyOf(byCode);
  }

  /** The table shipped with Vigil. */
  public static GridIntensity shipped() {
    return SHIPPED;
  }

  private static GridIntensity load() {
    Map<String, Double> map = new TreeMap<>();
    for (String[] row : CarbonTables.rows("grid-intensity.csv", 2)) {
      map.put(row[0].toUpperCase(Locale.ROOT), Double.parseDouble(row[1]));
    }
    return new GridIntensity(map);
  }

  /** Whether the table has the country with this alpha-2 code (any case). */
  public boolean knows(String code) {
    return code != null && byCode.containsKey(code.strip().toUpperCase(Locale.ROOT));
  }

  /**
   * The intensity of a country's grid, in gCO2e per kWh.
   *
   * @param code ISO 3166-1 alpha-2 code, any case; {@code null} or blank for the world average
   * @throws InvalidRequestException (field {@code carbon.region}) when the code is not in the table
   */
  public double gramsPerKwh(String code) {
    if (code == null || code.isBlank()) {
      return WORLD_AVERAGE;
    }
    Double value = byCode.get(code.strip().toUpperCase(Locale.ROOT));
    if (value == null) {
      throw new InvalidRequestException(
          "carbon.region", "unknown region '" + code.strip() + "': not in the shipped table");
    }
    return value;
  }

  /** Grams of CO2e for an energy in Wh drawn from a grid of the given intensity. */
  public static double co2eGrams(double energyWh, double gramsPerKwh) {
    return energyWh / 1000.0 * gramsPerKwh;
  }
}
