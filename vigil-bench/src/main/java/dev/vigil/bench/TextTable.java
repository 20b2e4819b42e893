package dev.vigil.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: columns as wide as their widest cell, a rule under the
 * headers, numbers right-aligned. The harness's tables all print through it.
 */
final class TextTable {
  private TextTable() {}

  /**
   * Prints {@code headers} and {@code rows}; columns {@code firstNumeric} to {@code lastNumeric}
   * (inclusive) are right-aligned.
   */
  static void print(
      PrintStream out,
      List<String> headers,
      List<List<String>> rows,
      int firstNumeric,
      int lastNumeric) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
    }
    for (List<String> r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    line(out, headers, width, firstNumeric, lastNumeric);
    var rule = new ArrayList<String>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(out, rule, width, firstNumeric, lastNumeric);
    rows.forEach(r -> line(out, r, width, firstNumeric, lastNumeric));
    out.flush();
  }

  private static void line(
      PrintStream out, List<String> cells, int[] width, int firstNumeric, int lastNumeric) {
    var sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      boolean numeric = i >= firstNumeric && i <= lastNumeric;
      sb.append(
          numeric ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()));
      sb.append(i == cells.size() - 1 ? "" : "  ");
    }
    out.println(sb.toString().stripTrailing());
  }
}
