package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.llm.PriceRow;
import dev.vigil.llm.UsdPerMillion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code llm.prices} rows of the configuration, read as strictly as the API reads them. */
class LlmConfigTest {
  @TempDir Path dir;

  private ServerConfig load(String text) throws IOException {
    return ServerConfig.load(Files.writeString(dir.resolve("vigil.yaml"), text), Map.of());
  }

  @Test
  void no_section_means_no_overrides() {
    assertThat(ServerConfig.load(null, Map.of()).llmPrices()).isEmpty();
  }

  @Test
  void the_documented_example_reads_as_written() throws IOException {
    ServerConfig c = load("""
        llm:
          prices:
            - provider: openai
              model_pattern: "gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?"
              valid_from: 2025-01-01
              usd_per_million: {input: 0.15, cached_input: 0.075, output: 0.60}
        """);
    assertThat(c.llmPrices()).containsExactly(new PriceRow(
        "openai", "gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?", LocalDate.parse("2025-01-01"),
        UsdPerMillion.of("0.15", "0.075", "0.6")));
  }

  @Test
  void bad_rows_and_unknown_keys_stop_the_server_naming_the_key() throws IOException {
    assertRefused("llm: {price: []}\n", "llm.price", "unknown key");
    assertRefused("llm: {prices: {}}\n", "llm.prices", "must be a list of price rows");
    assertRefused("""
        llm:
          prices:
            - {provider: openai, model_pattern: "gpt-(", valid_from: 2025-01-01, usd_per_million: {input: 1, cached_input: 1, output: 1}}
        """, "llm.prices[0].model_pattern", "is not a valid regular expression");
    assertRefused("""
        llm:
          prices:
            - {provider: openai, model_pattern: x, valid_from: 2025-01-01, usd_per_million: {input: 1, cached_input: -1, output: 1}}
        """, "llm.prices[0].usd_per_million.cached_input", "must not be negative");
    assertRefused("""
        llm:
          prices:
            - {provider: openai, model_pattern: x, valid_from: 2025-01-01, usd_per_million: {input: 1, output: 1}}
        """, "llm.prices[0].usd_per_million.cached_input", "is required");
    assertRefused("""
        llm:
          prices:
            - {provider: openai, model_pattern: x, valid_from: 2025-01-01, currency: eur, usd_per_million: {input: 1, cached_input: 1, output: 1}}
        """, "llm.prices[0].currency", "unknown field");
  }

  private void assertRefused(String yaml, String key, String reason) {
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          assertThat(((ConfigException) e).key()).isEqualTo(key);
          assertThat(((ConfigException) e).reason()).startsWith(reason);
        });
  }
}
