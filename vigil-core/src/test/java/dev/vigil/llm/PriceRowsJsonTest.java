package dev.vigil.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PriceRowsJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static final String GOOD =
      "{'provider':'openai','model_pattern':'gpt-4o-mini','valid_from':'2024-07-18',"
          + "'usd_per_million':{'input':0.15,'cached_input':0.075,'output':0.6}}";

  @Test
  void a_row_reads_and_writes_back_the_same() throws Exception {
    var rows = PriceRowsJson.read(json("[" + GOOD + "]"), "prices");
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.provider()).isEqualTo("openai");
      assertThat(r.validFrom()).isEqualTo(LocalDate.parse("2024-07-18"));
      assertThat(r.usdPerMillion().cachedInput()).isEqualByComparingTo("0.075");
    });
    assertThat(PriceRowsJson.read(PriceRowsJson.write(rows), "prices")).isEqualTo(rows);
  }

  @Test
  void bad_rows_are_refused_naming_the_field() throws Exception {
    assertRefused("{}", "prices[0].provider: is required");
    assertRefused(GOOD.replace("'provider'", "'vendor'"), "prices[0].vendor: unknown field");
    assertRefused(GOOD.replace("'output':0.6", "'output':0.6,'batch':1"), "prices[0].usd_per_million.batch: unknown field");
    assertRefused(GOOD.replace("'output':0.6", "'output':-0.6"), "prices[0].usd_per_million.output: must not be negative (got -0.6)");
    assertRefused(GOOD.replace(",'output':0.6", ""), "prices[0].usd_per_million.output: is required");
    assertRefused(GOOD.replace("0.15", "'cheap'"), "prices[0].usd_per_million.input: must be a number");
    assertRefused(GOOD.replace("gpt-4o-mini", "gpt-(4o"), "prices[0].model_pattern: is not a valid regular expression");
    assertRefused(GOOD.replace("2024-07-18", "18/07/2024"), "prices[0].valid_from: must be a date such as 2025-01-31 (got '18/07/2024')");
    assertRefused(GOOD.replace("'openai'", "' '"), "prices[0].provider: is required");
    assertRefused("3", "prices[0]: must be an object");
    assertThatThrownBy(() -> PriceRowsJson.read(json("{}"), "prices"))
        .isInstanceOf(InvalidPriceException.class).hasMessage("prices: must be a list of price rows");
  }

  @Test
  void the_second_bad_row_is_named_by_its_index() throws Exception {
    assertThatThrownBy(() -> PriceRowsJson.read(json("[" + GOOD + "," + GOOD.replace("'valid_from':'2024-07-18',", "") + "]"), "llm.prices"))
        .isInstanceOf(InvalidPriceException.class)
        .satisfies(e -> assertThat(((InvalidPriceException) e).field()).isEqualTo("llm.prices[1].valid_from"));
  }

  private static void assertRefused(String row, String message) throws Exception {
    assertThatThrownBy(() -> PriceRowsJson.read(json("[" + row + "]"), "prices"))
        .isInstanceOf(InvalidPriceException.class)
        .hasMessageStartingWith(message);
  }
}
