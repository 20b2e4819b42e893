package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
    name = "jobs",
    description = "List jobs, newest first (GET /api/v1/jobs).",
    footer = {
      "",
      "Times are RFC 3339 (2026-01-01T08:00:00Z) or an age such as 30s, 10m, 2h, 1d.",
      "Example:",
      "  vigil jobs --state dead --lane cognition --since 1h"
    })
final class JobsCommand extends ClientCommand {
  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

  @Option(
      names = "--state",
      paramLabel = "STATE[,STATE...]",
      completionCandidates = States.class,
      description = "Only jobs in these states, comma-separated: ${COMPLETION-CANDIDATES}.")
  String state;

  @Option(names = "--lane", paramLabel = "LANE", description = "Only jobs in this lane.")
  String lane;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only jobs of this type.")
  String type;

  @Option(
      names = "--correlation-id",
      paramLabel = "C",
      description = "Only jobs with this correlation id.")
  String correlationId;

  @Option(names = "--since", paramLabel = "TIME", description = "Created at or after this time.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Created before this time.")
  String until;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N jobs (up to 500; server default 50).")
  Integer limit;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "Continue after a previous page.")
  String cursor;

  @Override
  ApiClient.Response execute(ApiClient api) {
    Instant now = Instant.now();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", state);
    query.put("lane", lane);
    query.put("type", type);
    query.put("correlation_id", correlationId);
    query.put("since", time("--since", since, now));
    query.put("until", time("--until", until, now));
    query.put("limit", limit == null ? null : limit.toString());
    query.put("cursor", cursor);
    return api.jobs(query);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    Instant now = Instant.now();
    var table = Table.of("ID", "TYPE", "LANE", "STATE", "#ATTEMPT", "CREATED", "LAST ERROR");
    for (JsonNode job : response.json().path("jobs")) {
      table.row(
          Formats.text(job, "id"),
          Formats.text(job, "type"),
          Formats.text(job, "lane"),
          Formats.text(job, "state"),
          job.path("attempt").asInt() + "/" + job.path("max_attempts").asInt(),
          Formats.age(Formats.text(job, "created_at"), now),
          JobCommand.error(job.get("last_error"), 60));
    }
    if (table.isEmpty()) {
      out.println("no jobs");
    } else {
      table.print(out);
    }
    String next = Formats.text(response.json(), "next_cursor");
    if (next != null) {
      out.println("more: vigil jobs --cursor " + next + " (with the same filters)");
    }
  }

  /** An RFC 3339 time as given, or an age (10m) turned into the time that long before now. */
  private String time(String option, String value, Instant now) {
    if (value == null) {
      return null;
    }
    Matcher age = AGE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (age.matches()) {
      long n = Long.parseLong(age.group(1));
      Duration d =
          switch (age.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now.minus(d).toString();
    }
    try {
      return Instant.parse(value.strip()).toString();
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " wants an RFC 3339 time (2026-01-01T08:00:00Z) or an age (10m), not '"
              + value
              + "'");
    }
  }

  /** The job states, for completion and help. */
  static final class States implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(dev.vigil.job.JobState.values())
          .map(dev.vigil.job.JobState::wireName)
          .iterator();
    }
  }
}
