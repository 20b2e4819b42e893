package dev.vigil.store;

import dev.vigil.llm.PriceRow;
import dev.vigil.llm.UsdPerMillion;
import dev.vigil.llm.spi.PriceStore;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The LLM price rows put through the API ({@code llm_prices}) on a SQL store, through that store's
 * own reads and writes. The statements are the same in both dialects: a put deletes the rows of
 * the same keys and inserts them again after every stored row, in one transaction. Prices are
 * kept as decimal text, so they come back exactly as they were put.
 */
final class SqlPriceStore implements PriceStore {
  private final SqlJobStore store;

  SqlPriceStore(SqlJobStore store) {
    this.store = store;
  }

  @Override
  public List<PriceRow> prices() {
    return store.read(
        c -> {
          List<PriceRow> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT provider, model_pattern, valid_from, usd_input, usd_cached_input, usd_output"
                          + " FROM llm_prices ORDER BY seq");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new PriceRow(
                  rs.getString(1), rs.getString(2), LocalDate.parse(rs.getString(3)),
                  new UsdPerMillion(
                      new BigDecimal(rs.getString(4)), new BigDecimal(rs.getString(5)), new BigDecimal(rs.getString(6)))));
            }
          }
          return out;
        });
  }

  @Override
  public void putPrices(List<PriceRow> rows) {
    List<PriceRow> all = List.copyOf(rows);
    store.write(
        (c, lanes) -> {
          long seq;
          try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM llm_prices");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
          }
          try (PreparedStatement delete =
                  c.prepareStatement(
                      "DELETE FROM llm_prices WHERE provider_key = ? AND model_pattern = ? AND valid_from = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO llm_prices (provider_key, model_pattern, valid_from, provider, usd_input,"
                          + " usd_cached_input, usd_output, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (PriceRow r : all) {
              String key = r.provider().toLowerCase(Locale.ROOT);
              delete.setString(1, key);
              delete.setString(2, r.modelPattern());
              delete.setString(3, r.validFrom().toString());
              delete.executeUpdate();
              insert.setString(1, key);
              insert.setString(2, r.modelPattern());
              insert.setString(3, r.validFrom().toString());
              insert.setString(4, r.provider());
              insert.setString(5, r.usdPerMillion().input().toPlainString());
              insert.setString(6, r.usdPerMillion().cachedInput().toPlainString());
              insert.setString(7, r.usdPerMillion().output().toPlainString());
              insert.setLong(8, ++seq);
              insert.executeUpdate();
            }
          }
          return null;
        });
  }
}
