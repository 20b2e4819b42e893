package dev.vigil.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table with aligned columns, for people reading a terminal. Columns are separated by
 * two spaces; a column marked numeric is right-aligned; {@code null} cells print as {@code -}; a
 * cell's control characters print as escapes ({@link Terminal#escape}: a line feed as {@code \n},
 * ESC as <code>&#92;u001b</code>), so a cell is always one line that cannot drive the terminal.
 *
 * <pre>{@code
 * Table.of("LANE", "#READY").row("cognition", 3).print(out);
 * }</pre>
 */
final class Table {
  private final String[] headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  private Table(String[] headers) {
    this.headers = new String[headers.length];
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      // a leading '#' marks a numeric, right-aligned column; it is not printed
      rightAligned[i] = headers[i].startsWith("#");
      this.headers[i] = rightAligned[i] ? headers[i].substring(1) : headers[i];
    }
  }

  /** A table with these column headers; prefix a header with {@code #} to right-align it. */
  static Table of(String... headers) {
    return new Table(headers);
  }

  /**
   * Adds a row of cells, each printed with {@code String.valueOf}, control characters escaped.
   *
   * @throws IllegalArgumentException if the row does not have one cell per column
   */
  Table row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + headers.length + " columns");
    }
    rows.add(
        Arrays.stream(cells)
            .map(c -> Terminal.escape(Objects.toString(c, "-")))
            .toArray(String[]::new));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the header and every row; trailing spaces are trimmed. */
  void print(PrintWriter out) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    out.println(line(headers, widths));
    for (String[] row : rows) {
      out.println(line(row, widths));
    }
    out.flush();
  }

  @Override
  public String toString() {
    var text = new java.io.StringWriter();
    print(new PrintWriter(text));
    return text.toString();
  }

  private String line(String[] cells, int[] widths) {
    var sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      String pad = " ".repeat(widths[i] - cells[i].length());
      sb.append(rightAligned[i] ? pad + cells[i] : cells[i] + pad);
    }
    return sb.toString().stripTrailing();
  }
}
