package dev.vigil.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The terminal table of a run: one row per engine and per variant of Vigil ({@code vigil_*} keys,
 * such as {@code vigil_remote}), and per part for scenarios with several (the HTTP enqueue and
 * remote-worker cycle, each scale step), with the shared figures.
 */
final class ResultTable {
  private static final List<String> FIGURES =
      List.of(
          "jobs_per_s",
          "enqueue_jobs_per_s",
          "p50_ms",
          "p99_ms",
          "p999_ms",
          "max_ms",
          "cpu_us_per_job");
  private static final List<String> HEADERS =
      List.of(
          "scenario",
          "engine",
          "jobs/s",
          "enqueue/s",
          "p50 ms",
          "p99 ms",
          "p99.9 ms",
          "max ms",
          "CPU µs/job",
          "note");
  private static final int NOTE_WIDTH = 60;

  private ResultTable() {}

  static void print(Map<String, Object> scenarios, PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    scenarios.forEach(
        (name, value) -> {
          if (value instanceof Map<?, ?> scenario) {
            rows(rows, name, "vigil", scenario.get("vigil"));
            scenario.forEach(
                (key, variant) -> {
                  if (String.valueOf(key).startsWith("vigil_")) {
                    rows(rows, name, String.valueOf(key).replace('_', ' '), variant);
                  }
                });
            if (scenario.get("peers") instanceof Map<?, ?> peers) {
              peers.forEach((peer, figures) -> rows(rows, name, String.valueOf(peer), figures));
            }
          }
        });
    int[] width = new int[HEADERS.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = HEADERS.get(i).length();
    }
    for (List<String> r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    line(out, HEADERS, width);
    var rule = new ArrayList<String>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(out, rule, width);
    rows.forEach(r -> line(out, r, width));
    out.flush();
  }

  private static void rows(List<List<String>> rows, String scenario, String engine, Object node) {
    if (!(node instanceof Map<?, ?> m)) {
      return;
    }
    boolean hasFigures = FIGURES.stream().anyMatch(m::containsKey);
    boolean hasParts = m.values().stream().anyMatch(v -> v instanceof Map);
    if (hasFigures || (m.containsKey("note") && !hasParts)) {
      var r = new ArrayList<String>();
      r.add(scenario);
      r.add(engine);
      for (String f : FIGURES) {
        r.add(m.containsKey(f) ? String.valueOf(m.get(f)) : "");
      }
      String note = m.containsKey("timed_out") ? "TIMED OUT " : "";
      note +=
          m.containsKey("not_started") && ((Number) m.get("not_started")).longValue() > 0
              ? m.get("not_started") + " never started; "
              : "";
      note += m.containsKey("note") ? String.valueOf(m.get("note")) : "";
      r.add(note.length() > NOTE_WIDTH ? note.substring(0, NOTE_WIDTH - 1) + "…" : note);
      rows.add(r);
    }
    m.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> part && !String.valueOf(k).startsWith("ratio")) {
            rows(rows, scenario, engine + " " + k, part);
          }
        });
  }

  private static void line(PrintStream out, List<String> cells, int[] width) {
    var sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      boolean numeric = i >= 2 && i < cells.size() - 1;
      sb.append(
          numeric ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()));
      sb.append(i == cells.size() - 1 ? "" : "  ");
    }
    out.println(sb.toString().stripTrailing());
  }
}
