package dev.vigil.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The terminal table of a scenario's requests by lane ({@code vigil.by_lane}, the overload
 * scenario's): what each lane was offered, what it accepted and refused by reason, how long its
 * accepted jobs waited from request to start, and how far its backlog and backpressure went.
 */
final class LaneTable {
  private static final List<String> HEADERS =
      List.of(
          "scenario",
          "lane",
          "requests",
          "accepted",
          "429 lane-full",
          "429 rate-limited",
          "503 overloaded",
          "other errors",
          "wait p50 ms",
          "wait p99 ms",
          "wait max ms",
          "ready at stop",
          "peak ready",
          "peak level");
  private static final List<String> KEYS =
      List.of(
          "requests",
          "accepted",
          "lane_full",
          "rate_limited",
          "overloaded",
          "other_errors",
          "wait_p50_ms",
          "wait_p99_ms",
          "wait_max_ms",
          "ready_at_stop",
          "peak_ready",
          "peak_level");

  private LaneTable() {}

  static void print(Map<String, Object> scenarios, PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    scenarios.forEach(
        (name, value) -> {
          if (value instanceof Map<?, ?> scenario
              && scenario.get("vigil") instanceof Map<?, ?> vigil
              && vigil.get("by_lane") instanceof Map<?, ?> lanes) {
            lanes.forEach(
                (lane, figures) -> {
                  if (figures instanceof Map<?, ?> f) {
                    var r = new ArrayList<String>();
                    r.add(name);
                    r.add(String.valueOf(lane));
                    KEYS.forEach(k -> r.add(f.containsKey(k) ? String.valueOf(f.get(k)) : ""));
                    rows.add(r);
                  }
                });
          }
        });
    if (!rows.isEmpty()) {
      out.println();
      TextTable.print(out, HEADERS, rows, 2, HEADERS.size() - 1);
    }
  }
}
