package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
    name = "status",
    description =
        "Show the server's job counts and its lanes (GET /api/v1/stats and /api/v1/lanes).")
final class StatusCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    ApiClient.Response stats = api.stats();
    ApiClient.Response lanes = api.lanes();
    // --json prints both answers as one object: {"stats":{...},"lanes":[...]}
    ObjectNode both = JsonMapper.builder().build().createObjectNode();
    both.set("stats", stats.json());
    both.set("lanes", lanes.json());
    return new ApiClient.Response(200, both.toString(), both);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    Instant now = Instant.now();
    var rows = Table.of("STAT", "VALUE");
    for (Map.Entry<String, JsonNode> e : response.json().path("stats").properties()) {
      if (!e.getKey().equals("lanes")) { // the lanes table below has them, with more detail
        rows.row(label(e.getKey()), value(e.getKey(), e.getValue(), now));
      }
    }
    // a two-column table without its header reads as a list of fields
    rows.toString().lines().skip(1).forEach(out::println);
    out.println();
    LanesCommand.table(response.json().path("lanes")).print(out);
  }

  /** {@code uptime_ms} reads as "uptime", {@code worker_id} as "worker id". */
  private static String label(String key) {
    return key.replaceFirst("_ms$", "").replace('_', ' ');
  }

  /**
   * A stat for people: an object as "key value, ..." on one line, milliseconds as a duration, times
   * with their age, anything else as its JSON text.
   */
  private static String value(String key, JsonNode v, Instant now) {
    if (v.isObject()) {
      var parts = new ArrayList<String>();
      v.properties()
          .forEach(e -> parts.add(label(e.getKey()) + " " + value(e.getKey(), e.getValue(), now)));
      return String.join(", ", parts);
    }
    if (v.isNumber() && key.endsWith("_ms")) {
      return Formats.millis(v.asLong());
    }
    if (v.isTextual() && key.endsWith("_at")) {
      return Formats.time(v.asText()) + " (" + Formats.age(v.asText(), now) + ")";
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
