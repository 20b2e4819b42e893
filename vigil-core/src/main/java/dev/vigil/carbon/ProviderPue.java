package dev.vigil.carbon;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The shipped PUE of each provider's data centres ({@code provider-pue.csv}), default 1.2. */
final class ProviderPue {

  /** EcoLogits' PUE for hyperscale data centres, used for providers that publish none. */
  static final double DEFAULT = 1.2;

  private static final Map<String, Double> SHIPPED = load();

  private ProviderPue() {}

  private static Map<String, Double> load() {
    Map<String, Double> map = new HashMap<>();
    for (String[] row : CarbonTables.rows("provider-pue.csv", 2)) {
      map.put(row[0].toLowerCase(Locale.ROOT), Double.parseDouble(row[1]));
    }
    return Map.copyOf(map);
  }

  static double of(String provider) {
    if (provider == null) {
      return DEFAULT;
    }
    return SHIPPED.getOrDefault(provider.strip().toLowerCase(Locale.ROOT), DEFAULT);
  }
}
