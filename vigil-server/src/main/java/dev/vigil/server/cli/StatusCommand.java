package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
    name = "status",
    description = "Show the server's job counts and its lanes (GET /api/v1/stats and /api/v1/lanes).")
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
    var fields = Table.of("STAT", "VALUE");
    flatten("", response.json().path("stats"), fields);
    fields.toString().lines().skip(1).forEach(out::println);
    out.println();
    LanesCommand.table(response.json().path("lanes")).print(out);
  }

  /** Adds every scalar of {@code node} as a row, nested names joined by dots. */
  private static void flatten(String prefix, JsonNode node, Table rows) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
      }
    } else if (node.isArray()) {
      rows.row(prefix, node.toString());
    } else if (!node.isMissingNode()) {
      rows.row(prefix, node.isNull() ? null : node.asText());
    }
  }
}
