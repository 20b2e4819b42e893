package dev.vigil.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Price rows to and from their JSON form, the one the HTTP API, the configuration ({@code
 * llm.prices}, YAML read as a tree) and the shipped defaults share:
 *
 * <pre>{@code
 * {"provider":"openai","model_pattern":"gpt-4o-mini","valid_from":"2024-07-18",
 *  "usd_per_million":{"input":0.15,"cached_input":0.075,"output":0.60}}
 * }</pre>
 *
 * Reading is strict: unknown fields, missing fields, prices that are not numbers, dates that are
 * not {@code yyyy-mm-dd} and patterns that do not compile are refused with the field named.
 */
public final class PriceRowsJson {
  private static final Set<String> ROW_FIELDS = Set.of("provider", "model_pattern", "valid_from", "usd_per_million");
  private static final Set<String> PRICE_FIELDS = Set.of("input", "cached_input", "output");

  private PriceRowsJson() {}

  /**
   * The rows of {@code list}, a JSON array of rows.
   *
   * @param label the name of the list in errors, e.g. {@code prices} or {@code llm.prices}
   * @throws InvalidPriceException naming the first failing field, e.g. {@code prices[2].valid_from}
   */
  public static List<PriceRow> read(JsonNode list, String label) {
    if (list == null || !list.isArray()) {
      throw new InvalidPriceException(label, "must be a list of price rows");
    }
    var rows = new ArrayList<PriceRow>();
    for (int i = 0; i < list.size(); i++) {
      String at = label + "[" + i + "]";
      try {
        rows.add(row(list.get(i)));
      } catch (InvalidPriceException e) {
        throw e.field().isEmpty() ? new InvalidPriceException(at, e.reason()) : e.prefixed(at + ".");
      }
    }
    return rows;
  }

  /** One row as JSON. */
  public static ObjectNode write(PriceRow row) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("provider", row.provider());
    n.put("model_pattern", row.modelPattern());
    n.put("valid_from", row.validFrom().toString());
    ObjectNode p = n.putObject("usd_per_million");
    p.put("input", row.usdPerMillion().input());
    p.put("cached_input", row.usdPerMillion().cachedInput());
    p.put("output", row.usdPerMillion().output());
    return n;
  }

  /** Rows as a JSON array, in order. */
  public static ArrayNode write(List<PriceRow> rows) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    rows.forEach(r -> a.add(write(r)));
    return a;
  }

  private static PriceRow row(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new InvalidPriceException(
          "", "must be an object with provider, model_pattern, valid_from and usd_per_million");
    }
    knownFields(n, "", ROW_FIELDS);
    String provider = text(n, "provider");
    String pattern = text(n, "model_pattern");
    LocalDate validFrom = date(n);
    JsonNode p = n.get("usd_per_million");
    if (p == null || p.isNull()) {
      throw new InvalidPriceException("usd_per_million", "is required");
    }
    if (!p.isObject()) {
      throw new InvalidPriceException("usd_per_million", "must be an object with input, cached_input and output");
    }
    knownFields(p, "usd_per_million.", PRICE_FIELDS);
    var prices =
        new UsdPerMillion(
            price(p, "input"), price(p, "cached_input"), price(p, "output"));
    return new PriceRow(provider, pattern, validFrom, prices);
  }

  private static void knownFields(JsonNode n, String prefix, Set<String> allowed) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new InvalidPriceException(prefix + name, "unknown field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidPriceException(field, "is required");
    }
    if (!v.isTextual()) {
      throw new InvalidPriceException(field, "must be a string");
    }
    return v.textValue();
  }

  private static LocalDate date(JsonNode n) {
    String text = text(n, "valid_from");
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidPriceException("valid_from", "must be a date such as 2025-01-31 (got '" + shorten(text) + "')");
    }
  }

  private static BigDecimal price(JsonNode p, String field) {
    JsonNode v = p.get(field);
    String name = "usd_per_million." + field;
    if (v == null || v.isNull()) {
      throw new InvalidPriceException(name, "is required");
    }
    if (!v.isNumber()) {
      throw new InvalidPriceException(name, "must be a number of US dollars per million tokens");
    }
    BigDecimal d = v.decimalValue();
    if (d.signum() < 0) {
      throw new InvalidPriceException(name, "must not be negative (got " + d.toPlainString() + ")");
    }
    return d;
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
