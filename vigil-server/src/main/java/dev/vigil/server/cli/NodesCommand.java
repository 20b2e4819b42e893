package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(
    name = "nodes",
    description = {
      "Show the nodes sharing the server's store, with their last heartbeat (GET /api/v1/nodes).",
      "A node silent for 15 s is 'gone'; LEADER marks the answering node when it leads."
    })
final class NodesCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.nodes();
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    table(response.json().path("nodes"), Instant.now()).print(out);
  }

  static Table table(JsonNode nodes, Instant now) {
    var table =
        Table.of(
            "NODE", "HOST", "VERSION", "STATUS", "LEADER", "#RUNNING", "STARTED", "LAST HEARTBEAT");
    for (JsonNode node : nodes) {
      table.row(
          Formats.text(node, "id"),
          Formats.text(node, "host"),
          Formats.text(node, "version"),
          Formats.text(node, "status"),
          node.path("leader").asBoolean(false) ? "yes" : null,
          node.path("running_jobs").asLong(),
          Formats.time(Formats.text(node, "started_at")),
          Formats.age(Formats.text(node, "last_heartbeat"), now));
    }
    return table;
  }
}
