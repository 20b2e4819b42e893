package dev.vigil.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The default price rows shipped in {@code default-prices.json} beside this class. The file names
 * the date the prices were taken and their sources; a row that fails to read is a build fault,
 * so it fails loudly.
 */
final class DefaultPrices {
  static final String RESOURCE = "default-prices.json";

  private DefaultPrices() {}

  static List<PriceRow> rows() {
    return read(document());
  }

  /** The whole shipped document: {@code taken}, {@code sources}, {@code note}, {@code prices}. */
  static JsonNode document() {
    try (InputStream in = DefaultPrices.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the default price table " + RESOURCE + " is missing from the classpath");
      }
      return new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the default price table " + RESOURCE, e);
    }
  }

  static List<PriceRow> read(JsonNode doc) {
    return PriceRowsJson.read(doc.get("prices"), "prices");
  }
}
