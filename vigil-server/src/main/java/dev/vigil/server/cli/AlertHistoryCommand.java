package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil alerts history}: when alerts started firing and resolved, newest first. */
@Command(
    name = "history",
    description = "List when alerts fired and resolved, newest first (GET /api/v1/alerts/history).",
    footer = {"", "Times are RFC 3339 (2026-01-01T08:00:00Z) or an age such as 30m, 2h, 1d."})
final class AlertHistoryCommand extends ClientCommand {

  @Option(
      names = "--since",
      paramLabel = "TIME",
      defaultValue = "24h",
      description = "Events at or after this time (default ${DEFAULT-VALUE}: the last day).")
  String since;

  @Option(names = "--limit", paramLabel = "N", description = "At most N events (up to 1000; server default 100).")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after a previous page.")
  String cursor;

  @Override
  ApiClient.Response execute(ApiClient api) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("since", Times.relative(spec.commandLine(), "--since", since));
    query.put("limit", limit == null ? null : limit.toString());
    query.put("cursor", cursor);
    return api.alertHistory(query);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    var table = Table.of("AT", "RULE", "STATE", "LABELS", "#VALUE", "#FIRED FOR");
    for (JsonNode e : response.json().path("events")) {
      String state = Formats.text(e, "state");
      table.row(
          Formats.time(Formats.text(e, "at")),
          Formats.text(e, "rule"),
          state,
          Formats.pairs(e.path("labels"), AlertsCommand.SHOWN_LABELS, 80),
          Formats.number(e.get("value")),
          "resolved".equals(state) ? Formats.millis(e, "duration_ms") : null);
    }
    if (table.isEmpty()) {
      out.println("no alert events");
    } else {
      table.print(out);
    }
    String next = Formats.text(response.json(), "next_cursor");
    if (next != null) {
      out.println("more: vigil alerts history --cursor " + next + " (with the same --since)");
    }
  }
}
