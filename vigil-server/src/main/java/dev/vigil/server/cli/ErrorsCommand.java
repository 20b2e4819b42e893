package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "errors",
    description = {
      "List error groups, most recently seen first (GET /api/v1/errors);",
      "resolve, ignore or unresolve one with the subcommands."
    },
    subcommands = {
      ErrorStatusCommand.Resolve.class,
      ErrorStatusCommand.Ignore.class,
      ErrorStatusCommand.Unresolve.class
    },
    footer = {
      "",
      "Times are RFC 3339 (2026-01-01T08:00:00Z) or an age such as 30m, 2h, 1d.",
      "Examples:",
      "  vigil errors --status unresolved --since 1d",
      "  vigil error 3fa4c1d29be07a51",
      "  vigil errors resolve 3fa4c1d29be07a51 --by ava"
    })
final class ErrorsCommand extends ClientCommand {
  @Option(
      names = "--status",
      paramLabel = "STATUS[,STATUS...]",
      completionCandidates = Statuses.class,
      description = "Only groups in these statuses, comma-separated: ${COMPLETION-CANDIDATES}.")
  String status;

  @Option(names = "--lane", paramLabel = "LANE", description = "Only groups that happened in this lane.")
  String lane;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only groups that happened in jobs of this type.")
  String type;

  @Option(names = "--error-type", paramLabel = "TYPE", description = "Only groups of this error type.")
  String errorType;

  @Option(names = "--since", paramLabel = "TIME", description = "Last seen at or after this time.")
  String since;

  @Option(names = "--limit", paramLabel = "N", description = "At most N groups (up to 500; server default 50).")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after a previous page.")
  String cursor;

  @Override
  ApiClient.Response execute(ApiClient api) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("status", status);
    query.put("lane", lane);
    query.put("type", type);
    query.put("error_type", errorType);
    query.put("since", Times.relative(spec.commandLine(), "--since", since));
    query.put("limit", limit == null ? null : limit.toString());
    query.put("cursor", cursor);
    return api.errors(query);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    Instant now = Instant.now();
    var table = Table.of("ID", "STATUS", "#COUNT", "#24H", "LAST SEEN", "JOB TYPES", "TITLE");
    for (JsonNode g : response.json().path("groups")) {
      table.row(
          Formats.text(g, "id"),
          status(g),
          g.path("count").asLong(),
          g.path("count_24h").asLong(),
          Formats.age(Formats.text(g, "last_seen"), now),
          list(g.path("job_types"), 30),
          Formats.line(Formats.text(g, "title"), 70));
    }
    if (table.isEmpty()) {
      out.println("no error groups");
    } else {
      table.print(out);
    }
    String next = Formats.text(response.json(), "next_cursor");
    if (next != null) {
      out.println("more: vigil errors --cursor " + next + " (with the same filters)");
    }
  }

  /** {@code unresolved}, {@code unresolved (regressed)}, {@code resolved}, {@code ignored}. */
  static String status(JsonNode group) {
    String status = Formats.text(group, "status");
    return group.path("regressed").asBoolean(false) ? status + " (regressed)" : status;
  }

  /** A JSON array of strings as one comma-separated line of at most {@code max} characters. */
  static String list(JsonNode array, int max) {
    var values = new ArrayList<String>();
    array.forEach(v -> values.add(v.asText()));
    return Formats.line(String.join(", ", values), max);
  }

  /** The statuses, for completion and help. */
  static final class Statuses implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("unresolved", "resolved", "ignored").iterator();
    }
  }
}
