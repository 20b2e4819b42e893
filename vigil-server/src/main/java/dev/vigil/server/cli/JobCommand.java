package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "job",
    description = "Show one job with its attempts and where its time went (GET /api/v1/jobs/{id}).")
final class JobCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.job(id);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode job = response.json();
    Instant now = Instant.now();
    var fields = Table.of("FIELD", "VALUE");
    fields.row("id", Formats.text(job, "id"));
    fields.row("type", Formats.text(job, "type"));
    fields.row("lane", Formats.text(job, "lane"));
    fields.row("state", state(job));
    fields.row("attempt", job.path("attempt").asInt() + " of " + job.path("max_attempts").asInt());
    fields.row("created", timeAndAge(Formats.text(job, "created_at"), now));
    fields.row("run at", timeAndAge(Formats.text(job, "run_at"), now));
    fields.row("started", timeAndAge(Formats.text(job, "started_at"), now));
    fields.row("finished", timeAndAge(Formats.text(job, "finished_at"), now));
    fields.row("timeout", Formats.millis(job, "timeout_ms"));
    fields.row("progress", progress(job));
    fields.row("correlation id", Formats.text(job, "correlation_id"));
    fields.row("unique key", Formats.text(job, "unique_key"));
    fields.row("parent id", Formats.text(job, "parent_id"));
    if (job.path("tags").size() > 0) {
      var tags = new java.util.ArrayList<String>();
      job.path("tags").forEach(t -> tags.add(t.asText()));
      fields.row("tags", String.join(", ", tags));
    }
    fields.row("last error", error(job.get("last_error"), 200));
    fields.row("error group", Formats.text(job, "error_group_id"));
    fields.row("result", Formats.text(job, "result"));
    fields.row("payload", Formats.text(job, "payload"));
    // the two-column table without its header reads as a list of fields
    fields.toString().lines().skip(1).forEach(out::println);

    JsonNode attempts = job.path("attempts");
    if (attempts.size() > 0) {
      out.println();
      var table = Table.of("#ATTEMPT", "OUTCOME", "WORKER", "STARTED", "#TOOK", "ERROR");
      for (JsonNode a : attempts) {
        table.row(
            a.path("attempt").asInt(),
            Formats.text(a, "outcome"),
            Formats.text(a, "worker_id"),
            Formats.time(Formats.text(a, "started_at")),
            took(a),
            error(a.get("error"), 80));
      }
      table.print(out);
    }
    printTimeline(job.path("timeline"), out);
  }

  /**
   * Where each attempt's time went: its queue wait and run, then the spans it timed, e.g. {@code
   * #1  waited 2ms, ran 200ms, succeeded} over {@code llm_call  178ms  model=sim-chat-small}.
   */
  private static void printTimeline(JsonNode timeline, PrintWriter out) {
    JsonNode attempts = timeline.path("attempts");
    if (attempts.isEmpty()) {
      return;
    }
    out.println();
    out.println("TIMELINE");
    for (JsonNode a : attempts) {
      var line = new StringBuilder("#").append(a.path("attempt").asInt());
      if (a.hasNonNull("queue_wait_ms")) {
        line.append("  waited ").append(Formats.millis(a.path("queue_wait_ms").asLong()));
      }
      if (a.hasNonNull("run_ms")) {
        line.append(", ran ").append(Formats.millis(a.path("run_ms").asLong()));
      }
      line.append(", ").append(a.hasNonNull("outcome") ? a.path("outcome").asText() : "running");
      out.println(line);
      var spans = Table.of("  SPAN", "#TOOK", "ATTRIBUTES");
      for (JsonNode span : a.path("spans")) {
        var attributes = new java.util.ArrayList<String>();
        span.path("attributes").properties().forEach(e -> attributes.add(e.getKey() + "=" + e.getValue().asText()));
        spans.row(
            "  " + Formats.text(span, "name"),
            Formats.millis(Math.round(span.path("duration_ms").asDouble())),
            attributes.isEmpty() ? "" : String.join(" ", attributes));
      }
      if (!a.path("spans").isEmpty()) {
        spans.toString().lines().skip(1).forEach(out::println);
      }
    }
  }

  private static String state(JsonNode job) {
    String state = Formats.text(job, "state");
    return job.path("cancel_requested").asBoolean(false) ? state + " (cancel requested)" : state;
  }

  private static String timeAndAge(String time, Instant now) {
    return time == null ? null : Formats.time(time) + "  (" + Formats.age(time, now) + ")";
  }

  private static String progress(JsonNode job) {
    JsonNode p = job.get("progress");
    if (p == null || p.isNull()) {
      return null;
    }
    // the progress is a fraction, or an object {fraction, message} depending on the server version
    double fraction = p.isNumber() ? p.asDouble() : p.path("fraction").asDouble();
    String message =
        p.isNumber() ? Formats.text(job, "progress_message") : Formats.text(p, "message");
    String pct = String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    return message == null ? pct : pct + "  " + message;
  }

  private static String took(JsonNode attempt) {
    String started = Formats.text(attempt, "started_at");
    String finished = Formats.text(attempt, "finished_at");
    if (started == null || finished == null) {
      return null;
    }
    try {
      return Formats.millis(
          java.time.Duration.between(Instant.parse(started), Instant.parse(finished)).toMillis());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** An error as one line of at most {@code max} characters: its type's simple name and message. */
  static String error(JsonNode error, int max) {
    if (error == null || error.isNull() || error.isMissingNode()) {
      return null;
    }
    String type = simpleName(Formats.text(error, "type"));
    String message = Formats.text(error, "message");
    String line =
        type == null ? String.valueOf(message) : message == null ? type : type + ": " + message;
    // a multi-line message reads as one line; what control characters remain show as escapes
    line = Terminal.escape(line.replaceAll("\\s*\\R\\s*", " "));
    return line.length() > max ? line.substring(0, max - 1) + "…" : line;
  }

  /**
   * {@code dev.vigil.Foo$BarException} reads as {@code BarException}; other types stay as they are.
   */
  private static String simpleName(String type) {
    if (type == null || !type.matches("([a-z_][\\w]*\\.)+[\\w$]+")) {
      return type;
    }
    return type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
  }
}
