package dev.vigil.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private static final Instant TODAY = Instant.parse("2026-12-03T12:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-12-03");

  private static PriceRow row(String provider, String pattern, String from, String in, String cached, String out) {
    return new PriceRow(provider, pattern, LocalDate.parse(from), UsdPerMillion.of(in, cached, out));
  }

  @Test
  void a_call_is_priced_by_hand_computed_values_with_cached_tokens_at_the_cached_rate() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o-mini", "2024-07-18", "0.15", "0.075", "0.60")));
    // 10,000 input of which 4,000 cached; 2,000 output of which 500 reasoning.
    // 6,000 × 0.15 + 4,000 × 0.075 + 2,000 × 0.60 = 900 + 300 + 1,200 = 2,400 micro-dollars → 0.0024
    var cost = table.cost("openai", "gpt-4o-mini", TODAY, new TokenCounts(10_000, 4_000, 2_000, 500));
    assertThat(cost).get().satisfies(c -> assertThat(c).isEqualByComparingTo("0.0024"));
  }

  @Test
  void reasoning_tokens_are_output_tokens_and_are_not_billed_twice() {
    var table = PriceTable.of(List.of(row("openai", "o3", "2025-06-10", "2", "0.5", "8")));
    var without = table.cost("openai", "o3", TODAY, new TokenCounts(0, 0, 1_000, 0)).orElseThrow();
    var with = table.cost("openai", "o3", TODAY, new TokenCounts(0, 0, 1_000, 900)).orElseThrow();
    assertThat(with).isEqualByComparingTo(without).isEqualByComparingTo("0.008");
  }

  @Test
  void an_unknown_model_or_provider_has_no_cost_not_zero() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-01-01", "2.5", "1.25", "10")));
    assertThat(table.cost("openai", "gpt-9", TODAY, TokenCounts.of(100, 100))).isEmpty();
    assertThat(table.cost("acme", "gpt-4o", TODAY, TokenCounts.of(100, 100))).isEmpty();
    assertThat(table.cost(null, "gpt-4o", TODAY, TokenCounts.of(100, 100))).isEmpty();
  }

  @Test
  void patterns_match_the_whole_model_name() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-01-01", "2.5", "1.25", "10")));
    assertThat(table.rowFor("openai", "gpt-4o", TODAY)).isPresent();
    assertThat(table.rowFor("openai", "gpt-4o-mini", TODAY)).isEmpty();
    assertThat(table.rowFor("openai", "my-gpt-4o", TODAY)).isEmpty();
    table.put(List.of(row("openai", "gpt-4o.*", "2024-01-01", "1", "1", "1")));
    assertThat(table.rowFor("openai", "gpt-4o-mini", TODAY)).get().extracting(PriceRow::modelPattern).isEqualTo("gpt-4o.*");
  }

  @Test
  void provider_names_are_compared_without_case() {
    var table = PriceTable.of(List.of(row("OpenAI", "gpt-4o", "2024-01-01", "2.5", "1.25", "10")));
    assertThat(table.rowFor("openai", "gpt-4o", TODAY)).isPresent();
  }

  @Test
  void a_row_valid_from_tomorrow_does_not_price_todays_call() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-01-01", "2.5", "1.25", "10")));
    table.put(List.of(row("openai", "gpt-4o", DAY.plusDays(1).toString(), "1", "0.5", "4")));
    assertThat(table.cost("openai", "gpt-4o", TODAY, TokenCounts.of(1_000_000, 0))).get()
        .satisfies(c -> assertThat(c).isEqualByComparingTo("2.5"));
    assertThat(table.cost("openai", "gpt-4o", TODAY.plusSeconds(86_400), TokenCounts.of(1_000_000, 0))).get()
        .satisfies(c -> assertThat(c).isEqualByComparingTo("1"));
  }

  @Test
  void the_latest_row_in_force_on_the_calls_utc_date_wins() {
    var table =
        PriceTable.of(List.of(
            row("openai", "o3", "2025-04-16", "10", "2.5", "40"),
            row("openai", "o3", "2025-06-10", "2", "0.5", "8")));
    assertThat(table.rowFor("openai", "o3", Instant.parse("2025-06-09T23:59:59Z"))).get()
        .extracting(r -> r.usdPerMillion().input()).isEqualTo(new BigDecimal("10"));
    assertThat(table.rowFor("openai", "o3", Instant.parse("2025-06-10T00:00:00Z"))).get()
        .extracting(r -> r.usdPerMillion().input()).isEqualTo(new BigDecimal("2"));
    assertThat(table.rowFor("openai", "o3", Instant.parse("2025-04-15T12:00:00Z"))).isEmpty();
  }

  @Test
  void an_override_of_the_same_date_wins_over_the_default_even_with_a_broader_pattern() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-10-01", "2.5", "1.25", "10")));
    table.put(List.of(row("openai", "gpt-4o.*", "2024-10-01", "2", "1", "8")));
    assertThat(table.rowFor("openai", "gpt-4o", TODAY)).get().extracting(PriceRow::modelPattern).isEqualTo("gpt-4o.*");
  }

  @Test
  void among_rows_of_the_same_date_and_kind_the_more_literal_pattern_then_the_later_row_wins() {
    var table =
        PriceTable.of(List.of(
            row("openai", "gpt-.*", "2024-01-01", "9", "9", "9"),
            row("openai", "gpt-4o-mini", "2024-01-01", "0.15", "0.075", "0.6"),
            row("openai", "gpt-4o-m.*", "2024-01-01", "7", "7", "7")));
    assertThat(table.rowFor("openai", "gpt-4o-mini", TODAY)).get().extracting(PriceRow::modelPattern).isEqualTo("gpt-4o-mini");
    table.put(List.of(row("openai", "gpt-4o-mini|x", "2024-01-01", "1", "1", "1")));
    table.put(List.of(row("openai", "gpt-4o-mini|y", "2024-01-01", "2", "2", "2")));
    assertThat(table.rowFor("openai", "gpt-4o-mini", TODAY)).get().extracting(PriceRow::modelPattern).isEqualTo("gpt-4o-mini|y");
  }

  @Test
  void put_replaces_a_row_with_the_same_provider_pattern_and_date_and_rows_list_it_once() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-10-01", "2.5", "1.25", "10")));
    table.put(List.of(row("openai", "gpt-4o", "2024-10-01", "3", "1.5", "12")));
    table.put(List.of(row("openai", "gpt-4o", "2024-10-01", "4", "2", "16")));
    assertThat(table.rows()).hasSize(1);
    assertThat(table.rows().get(0).usdPerMillion().input()).isEqualByComparingTo("4");
    assertThat(table.overrides()).hasSize(1);
  }

  @Test
  void a_cost_sent_with_the_record_wins_and_a_negative_one_is_refused() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-10-01", "2.5", "1.25", "10")));
    assertThat(table.cost("openai", "gpt-4o", TODAY, TokenCounts.of(1, 1), new BigDecimal("0.42"))).contains(new BigDecimal("0.42"));
    assertThat(table.cost("acme", "unknown", TODAY, TokenCounts.of(1, 1), new BigDecimal("0.42"))).contains(new BigDecimal("0.42"));
    assertThatThrownBy(() -> table.cost("openai", "gpt-4o", TODAY, TokenCounts.of(1, 1), new BigDecimal("-1")))
        .isInstanceOf(InvalidPriceException.class).hasMessage("cost_usd: must not be negative (got -1)");
  }

  @Test
  void a_row_added_later_with_an_earlier_date_does_not_change_a_cost_already_recorded() {
    var table = PriceTable.of(List.of(row("openai", "gpt-4o", "2024-10-01", "2.5", "1.25", "10")));
    BigDecimal recorded = table.cost("openai", "gpt-4o", TODAY, TokenCounts.of(1_000_000, 0)).orElseThrow();
    table.put(List.of(row("openai", "gpt-4o", "2025-01-01", "1", "1", "1")));
    assertThat(recorded).isEqualByComparingTo("2.5");
    assertThat(table.cost("openai", "gpt-4o", TODAY, TokenCounts.of(1_000_000, 0))).get()
        .satisfies(c -> assertThat(c).isEqualByComparingTo("1"));
  }

  @Test
  void token_counts_that_cannot_be_are_refused() {
    assertThatThrownBy(() -> new TokenCounts(-1, 0, 0, 0)).isInstanceOf(InvalidPriceException.class)
        .hasMessage("input_tokens: must not be negative (got -1)");
    assertThatThrownBy(() -> new TokenCounts(10, 11, 0, 0)).isInstanceOf(InvalidPriceException.class)
        .hasMessageStartingWith("cached_input_tokens: must be at most input_tokens (10)");
    assertThatThrownBy(() -> new TokenCounts(0, 0, 5, 6)).isInstanceOf(InvalidPriceException.class)
        .hasMessageStartingWith("reasoning_tokens: must be at most output_tokens (5)");
  }

  @Test
  void with_a_store_rows_are_stored_first_and_a_store_that_fails_changes_nothing() {
    var stored = new java.util.ArrayList<PriceRow>(List.of(row("acme", "rocket-1", "2025-01-01", "1", "1", "1")));
    var failing = new java.util.concurrent.atomic.AtomicBoolean();
    dev.vigil.llm.spi.PriceStore store = new dev.vigil.llm.spi.PriceStore() {
      @Override
      public List<PriceRow> prices() {
        return List.copyOf(stored);
      }

      @Override
      public void putPrices(List<PriceRow> rows) {
        if (failing.get()) {
          throw new IllegalStateException("store down");
        }
        stored.addAll(rows);
      }
    };
    var table = PriceTable.of(List.of());
    table.put(List.of(row("acme", "configured-1", "2025-01-01", "2", "2", "2")));
    table.storedIn(store);
    assertThat(stored).as("configured rows are not stored").hasSize(1);
    assertThat(table.overrides()).extracting(PriceRow::modelPattern).containsExactly("configured-1", "rocket-1");

    table.put(List.of(row("acme", "rocket-2", "2025-01-01", "3", "3", "3")));
    assertThat(stored).extracting(PriceRow::modelPattern).containsExactly("rocket-1", "rocket-2");

    failing.set(true);
    assertThatThrownBy(() -> table.put(List.of(row("acme", "rocket-3", "2025-01-01", "4", "4", "4"))))
        .hasMessage("store down");
    assertThat(table.rowFor("acme", "rocket-3", TODAY)).isEmpty();
    assertThatThrownBy(() -> table.storedIn(store)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void the_shipped_defaults_load_and_price_common_models_without_overlap() {
    var table = PriceTable.withDefaults();
    assertThat(table.rows()).hasSizeGreaterThan(20);
    assertThat(table.rows()).extracting(PriceRow::provider).contains("openai", "anthropic", "google", "mistral");
    // gpt-4o-mini: 1M input, 1M output at 0.15 + 0.60
    assertThat(table.cost("openai", "gpt-4o-mini", TODAY, TokenCounts.of(1_000_000, 1_000_000))).get()
        .satisfies(c -> assertThat(c).isEqualByComparingTo("0.75"));
    assertThat(table.cost("openai", "gpt-4o-2024-08-06", TODAY, TokenCounts.of(1_000_000, 0))).get()
        .satisfies(c -> assertThat(c).isEqualByComparingTo("2.5"));
    assertThat(table.cost("anthropic", "claude-sonnet-4-5-20250929", TODAY, TokenCounts.of(0, 1_000_000))).get()
        .satisfies(c -> assertThat(c).isEqualByComparingTo("15"));
    assertThat(table.rowFor("google", "gemini-2.5-flash-lite", TODAY)).get()
        .extracting(PriceRow::modelPattern).isEqualTo("gemini-2\\.5-flash-lite");
    assertThat(table.rowFor("openai", "gpt-4x1", TODAY)).isEmpty();
    // No model name in the shipped table is matched by two rows of one provider.
    for (PriceRow a : table.rows()) {
      for (PriceRow b : table.rows()) {
        if (a != b && a.provider().equals(b.provider())) {
          String sample = a.modelPattern().replaceAll("\\(.*?\\)\\?", "").replace("\\.", ".").replace("\\d{8}", "20250101");
          if (sample.matches("[a-z0-9.\\-]+")) {
            assertThat(sample.matches(b.modelPattern())).as(sample + " matched by " + b.modelPattern()).isFalse();
          }
        }
      }
    }
  }

  @Test
  void the_shipped_table_names_its_date_and_sources() {
    var doc = DefaultPrices.document();
    assertThat(doc.path("taken").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(doc.path("sources")).hasSizeGreaterThanOrEqualTo(4);
  }
}
