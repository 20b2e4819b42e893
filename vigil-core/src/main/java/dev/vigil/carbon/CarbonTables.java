package dev.vigil.carbon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the small CSV tables shipped beside this package: {@code #} starts a comment line, the
 * first other line is the header, fields are split on commas (the last field may hold commas).
 */
final class CarbonTables {
  private CarbonTables() {}

  static List<String[]> rows(String resource, int columns) {
    try (InputStream in = CarbonTables.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), columns);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String[]> parse(BufferedReader reader, int columns) throws IOException {
    List<String[]> rows = new ArrayList<>();
    boolean header = true;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      String[] fields = trimmed.split(",", columns);
      if (fields.length != columns) {
        throw new IllegalStateException("bad row in carbon table: " + trimmed);
      }
      for (int i = 0; i < fields.length; i++) {
        fields[i] = fields[i].strip();
      }
      rows.add(fields);
    }
    return rows;
  }
}
