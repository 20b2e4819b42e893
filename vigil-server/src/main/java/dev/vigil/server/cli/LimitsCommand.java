package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
    name = "limits",
    description = {
      "Show the limits per key: each key's quota, what is left of it, and its running and held",
      "jobs (GET /api/v1/limits). LEFT is what the quota has left (on PostgreSQL, the cluster's); RUNNING and WAITING are the store's."
    })
final class LimitsCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.limits();
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode limits = response.json().path("limits");
    if (limits.isEmpty()) {
      out.println("no limits");
      return;
    }
    table(limits).print(out);
  }

  static Table table(JsonNode limits) {
    var table = Table.of("KEY", "RATE", "LEFT", "UNITS", "UNITS LEFT", "CONCURRENCY", "RUNNING", "WAITING");
    for (JsonNode l : limits) {
      String window = l.path("window_ms").isNumber() ? Formats.window(l.get("window_ms").asLong()) : null;
      table.row(
          Formats.text(l, "key"),
          per(Formats.number(l.get("rate")), window),
          Formats.number(l.get("available")),
          per(Formats.number(l.get("units")), window),
          Formats.number(l.get("units_available")),
          Formats.number(l.get("concurrency")),
          l.path("running").asLong(),
          l.path("waiting").asLong());
    }
    return table;
  }

  private static String per(String quota, String window) {
    return quota == null ? null : quota + "/" + window;
  }
}
