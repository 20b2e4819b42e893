package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code vigil silences}: the silences that have not ended, soonest to end first. */
@Command(
    name = "silences",
    description = "List the silences that have not ended, soonest to end first (GET /api/v1/alerts/silences).")
final class SilencesCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.silences();
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    Instant now = Instant.now();
    var table = Table.of("ID", "RULE", "MATCHERS", "ENDS", "COMMENT");
    for (JsonNode s : response.json().path("silences")) {
      String ends = Formats.text(s, "ends_at");
      table.row(
          Formats.text(s, "id"),
          Formats.text(s, "rule"),
          Formats.pairs(s.path("matchers"), Set.of(), 60),
          ends == null ? null : Formats.time(ends) + " (" + Formats.age(ends, now) + ")",
          Formats.line(Formats.text(s, "comment"), 60));
    }
    if (table.isEmpty()) {
      out.println("no silences");
    } else {
      table.print(out);
    }
  }
}
