package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "error",
    description = "Show one error group with its last attempts (GET /api/v1/errors/{id}).")
final class ErrorCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The error group id.")
  String id;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.errorGroup(id);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode g = response.json();
    Instant now = Instant.now();
    var fields = Table.of("FIELD", "VALUE");
    fields.row("id", Formats.text(g, "id"));
    fields.row("title", Formats.line(Formats.text(g, "title"), 200));
    fields.row("error type", Formats.text(g, "error_type"));
    fields.row("culprit", Formats.text(g, "culprit"));
    fields.row("status", ErrorsCommand.status(g));
    if ("resolved".equals(Formats.text(g, "status"))) {
      fields.row("resolved", timeAndAge(Formats.text(g, "resolved_at"), now) + "  by " + Formats.text(g, "resolved_by"));
    }
    fields.row("count", g.path("count").asLong() + " (" + g.path("count_24h").asLong() + " in 24h)");
    fields.row("last 24h", sparkline(g.path("hourly")));
    fields.row("first seen", timeAndAge(Formats.text(g, "first_seen"), now));
    fields.row("last seen", timeAndAge(Formats.text(g, "last_seen"), now));
    fields.row("job types", ErrorsCommand.list(g.path("job_types"), 200));
    fields.row("lanes", ErrorsCommand.list(g.path("lanes"), 200));
    fields.row("sample jobs", ErrorsCommand.list(g.path("sample_job_ids"), 200));
    // the fingerprint, one part a line: what groups these errors
    String fingerprint = Formats.text(g, "fingerprint");
    boolean first = true;
    for (String part : fingerprint == null ? new String[0] : fingerprint.split("\n")) {
      fields.row(first ? "fingerprint" : "", part);
      first = false;
    }
    fields.toString().lines().skip(1).forEach(out::println);

    JsonNode attempts = g.path("attempts");
    if (attempts.size() > 0) {
      out.println();
      var table = Table.of("JOB", "#ATTEMPT", "TYPE", "LANE", "OUTCOME", "AT", "MESSAGE");
      for (JsonNode a : attempts) {
        table.row(
            Formats.text(a, "job_id"),
            a.path("attempt").asInt(),
            Formats.text(a, "type"),
            Formats.text(a, "lane"),
            Formats.text(a, "outcome"),
            Formats.time(Formats.text(a, "at")),
            Formats.line(Formats.text(a.path("error"), "message"), 80));
      }
      table.print(out);
    }
  }

  /** 24 hourly counts as bars, oldest first: {@code ▁▁▃█}. */
  static String sparkline(JsonNode hourly) {
    long max = 0;
    for (JsonNode n : hourly) {
      max = Math.max(max, n.asLong());
    }
    var sb = new StringBuilder();
    String bars = "▁▂▃▄▅▆▇█";
    for (JsonNode n : hourly) {
      long v = n.asLong();
      sb.append(v == 0 ? ' ' : bars.charAt((int) Math.min(7, (v * 7 + max - 1) / Math.max(1, max))));
    }
    return "[" + sb + "]";
  }

  private static String timeAndAge(String time, Instant now) {
    return time == null ? null : Formats.time(time) + "  (" + Formats.age(time, now) + ")";
  }
}
