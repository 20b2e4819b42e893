package dev.vigil.llm.spi;

import dev.vigil.llm.PriceRow;
import java.util.List;

/**
 * Where the price rows put through the API ({@code PUT /api/v1/llm/prices}) are kept, so they
 * survive a restart and reach every node sharing the store. The SQL stores keep them in the
 * {@code llm_prices} table; {@code PriceStoreContract} (in the test kit) defines a correct store.
 */
public interface PriceStore {
  /** Every stored row, in the order it was last stored (a replaced row moves to the end). */
  List<PriceRow> prices();

  /**
   * Stores {@code rows} in one transaction: a row with the same provider (any case), pattern and
   * {@code valid_from} as a stored row replaces it. All rows are stored, or none.
   */
  void putPrices(List<PriceRow> rows);
}
