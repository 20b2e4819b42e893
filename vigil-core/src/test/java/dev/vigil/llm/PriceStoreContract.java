package dev.vigil.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.llm.spi.PriceStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The definition of a correct {@link PriceStore}: every store passes it unchanged. A store's test
 * class says how to open a fresh one, how to open it again on the same database (a restart), and
 * how to close it.
 */
public abstract class PriceStoreContract {
  private PriceStore store;

  /** A store on a fresh database. */
  protected abstract PriceStore openStore();

  /** Closes the store and opens it again on the same database, as a restart does. */
  protected abstract PriceStore reopenStore();

  /** Closes what {@link #openStore} opened. */
  protected abstract void closeStore();

  @BeforeEach
  final void open() {
    store = openStore();
  }

  @AfterEach
  final void close() {
    closeStore();
  }

  private static PriceRow row(String provider, String pattern, String from, String in, String cached, String out) {
    return new PriceRow(provider, pattern, LocalDate.parse(from), UsdPerMillion.of(in, cached, out));
  }

  @Test
  void a_fresh_store_has_no_rows() {
    assertThat(store.prices()).isEmpty();
  }

  @Test
  void stored_rows_come_back_exactly_in_order_after_a_restart() {
    PriceRow a = row("openai", "gpt-4o(-\\d{4}-\\d{2}-\\d{2})?", "2024-10-01", "2.5", "1.25", "10");
    PriceRow b = row("Acme", "rocket-1|rocket-1-beta", "2025-01-01", "0.000001", "0.0000005", "123456.789");
    store.putPrices(List.of(a, b));
    store = reopenStore();
    assertThat(store.prices()).containsExactly(a, b);
  }

  @Test
  void a_row_with_the_same_provider_any_case_pattern_and_date_replaces_the_stored_one_and_moves_last() {
    PriceRow a = row("openai", "gpt-4o", "2024-10-01", "2.5", "1.25", "10");
    PriceRow b = row("openai", "gpt-4o-mini", "2024-07-18", "0.15", "0.075", "0.6");
    store.putPrices(List.of(a, b));
    PriceRow a2 = row("OpenAI", "gpt-4o", "2024-10-01", "3", "1.5", "12");
    PriceRow aLater = row("openai", "gpt-4o", "2025-10-01", "2", "1", "8");
    store.putPrices(List.of(a2, aLater));
    assertThat(store.prices()).containsExactly(b, a2, aLater);
  }

  @Test
  void a_table_stored_in_the_store_prices_with_its_rows_after_a_restart() {
    PriceTable.of(List.of()).storedIn(store).put(List.of(row("acme", "rocket-1", "2025-01-01", "1", "0.5", "4")));
    PriceTable restarted = PriceTable.of(List.of()).storedIn(reopenStore());
    assertThat(restarted.cost("acme", "rocket-1", Instant.parse("2026-12-03T00:00:00Z"), TokenCounts.of(0, 1_000_000)))
        .get().satisfies(c -> assertThat(c).isEqualByComparingTo("4"));
  }
}
