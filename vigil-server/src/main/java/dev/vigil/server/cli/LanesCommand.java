package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
    name = "lanes",
    description = "Show every lane with its settings, depth and backpressure (GET /api/v1/lanes).")
final class LanesCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.lanes();
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    table(response.json()).print(out);
  }

  /** The lanes as a table; {@code vigil status} shows the same. */
  static Table table(JsonNode lanes) {
    var table =
        Table.of(
            "LANE",
            "#WEIGHT",
            "#MAX",
            "#RESERVED",
            "PAUSED",
            "#SCHEDULED",
            "#READY",
            "#RUNNING",
            "#OLDEST READY",
            "PRESSURE");
    for (JsonNode lane : lanes) {
      JsonNode depth = lane.path("depth");
      JsonNode max = lane.get("max_concurrency");
      table.row(
          Formats.text(lane, "name"),
          lane.path("weight").asInt(),
          max == null || max.isNull() || max.asLong() >= Integer.MAX_VALUE ? "-" : max.asText(),
          lane.path("reserved").asInt(),
          lane.path("paused").asBoolean(false) ? "yes" : "no",
          depth.path("scheduled").asLong(),
          depth.path("ready").asLong(),
          depth.path("running").asLong(),
          Formats.millis(lane, "oldest_ready_age_ms"),
          lane.path("backpressure").path("state").asText("-"));
    }
    return table;
  }
}
