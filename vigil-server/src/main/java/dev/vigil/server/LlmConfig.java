package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.llm.InvalidPriceException;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.PriceRowsJson;
import java.util.List;
import java.util.Set;

/**
 * The {@code llm:} section of the configuration (YAML only): price rows that add to or override
 * the shipped default price table. Rows are read as strictly as {@code PUT /api/v1/llm/prices}
 * reads them: unknown or missing fields, negative prices, bad dates and patterns that do not
 * compile stop the server with the row and field named.
 *
 * <pre>{@code
 * llm:
 *   prices:
 *     - provider: openai
 *       model_pattern: "gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?"
 *       valid_from: 2025-01-01
 *       usd_per_million: {input: 0.15, cached_input: 0.075, output: 0.60}
 * }</pre>
 */
final class LlmConfig {
  static final Set<String> KEYS = Set.of("prices");

  private LlmConfig() {}

  /** The rows of {@code llm.prices}; none when the section is absent. */
  static List<PriceRow> prices(ConfigTree t) {
    t.requireKnownKeys("llm", KEYS);
    JsonNode rows = t.node("llm.prices");
    if (rows == null || rows.isNull()) {
      return List.of();
    }
    try {
      return PriceRowsJson.read(rows, "llm.prices");
    } catch (InvalidPriceException e) {
      throw new ConfigException(e.field(), e.reason());
    }
  }
}
