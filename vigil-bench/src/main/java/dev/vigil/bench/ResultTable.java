package dev.vigil.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The terminal table of a run: one row per engine and per variant of Vigil ({@code vigil_*} keys,
 * such as {@code vigil_remote}), and per part for scenarios with several (the HTTP enqueue and
 * remote-worker cycle, each scale step), with the shared figures; then, where a scenario has them,
 * its requests by lane ({@link LaneTable}) and its goals, each marked met or not met.
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
    TextTable.print(out, HEADERS, rows, 2, HEADERS.size() - 2);
    LaneTable.print(scenarios, out);
    goals(scenarios, out);
  }

  /** Every scenario's goals, one row each, met or not. */
  private static void goals(Map<String, Object> scenarios, PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    scenarios.forEach(
        (name, value) -> {
          if (value instanceof Map<?, ?> scenario && scenario.get("goals") instanceof List<?> goals) {
            for (Object g : goals) {
              if (g instanceof Map<?, ?> goal) {
                rows.add(
                    List.of(
                        name,
                        String.valueOf(goal.get("goal")),
                        String.valueOf(goal.get("result")),
                        Boolean.TRUE.equals(goal.get("met")) ? "met" : "NOT MET"));
              }
            }
          }
        });
    if (!rows.isEmpty()) {
      out.println();
      TextTable.print(out, List.of("scenario", "goal", "result", "met?"), rows, 2, 2);
    }
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
}
