package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.llm.InvalidPriceException;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.PriceRowsJson;
import dev.vigil.llm.PriceTable;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.List;

/**
 * The LLM price table: {@code GET /api/v1/llm/prices} lists every row (the shipped defaults not
 * replaced, then the overrides); {@code PUT /api/v1/llm/prices} adds rows, replacing a row with
 * the same provider, pattern and {@code valid_from}. A PUT is all or nothing: one bad row and no
 * row is added. Rows put here are kept in the store (see {@code PriceTable#storedIn}) and
 * survive a restart.
 */
final class LlmApi {
  /** The most rows one PUT may carry. */
  static final int MAX_ROWS = 1_000;

  private final PriceTable prices;
  private final JsonBodies bodies;

  LlmApi(PriceTable prices, JsonBodies bodies) {
    this.prices = prices;
    this.bodies = bodies;
  }

  /** {@code {"prices":[rows]}}. */
  void list(Context ctx) {
    ObjectNode body = Json.object();
    body.set("prices", PriceRowsJson.write(prices.rows()));
    Json.send(ctx, 200, body);
  }

  /** {@code {"prices":[rows]}} → 200 with the whole table as {@link #list} shows it; 400 on a bad row, nothing changed. */
  void put(Context ctx) {
    ObjectNode request = bodies.object(ctx);
    for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("prices")) {
        throw new InvalidRequestException(name, "unknown field (known: prices)");
      }
    }
    JsonNode rows = request.get("prices");
    if (rows == null || rows.isNull()) {
      throw new InvalidRequestException("prices", "is required");
    }
    if (rows.isArray() && rows.size() > MAX_ROWS) {
      throw new InvalidRequestException("prices", "must hold at most " + MAX_ROWS + " rows (got " + rows.size() + ")");
    }
    List<PriceRow> parsed;
    try {
      parsed = PriceRowsJson.read(rows, "prices");
    } catch (InvalidPriceException e) {
      throw new InvalidRequestException(e.field(), e.reason());
    }
    prices.put(parsed);
    list(ctx);
  }
}
