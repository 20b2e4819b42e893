package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(name = "schedules", description = "List recurring schedules (GET /api/v1/schedules).")
final class SchedulesCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.schedules();
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    Instant now = Instant.now();
    JsonNode list = response.json();
    if (list.isObject()) {
      list = list.path("schedules");
    }
    var table = Table.of("NAME", "CRON", "TIMEZONE", "JOB", "LANE", "NEXT", "LAST FIRED");
    for (JsonNode s : list) {
      JsonNode job = s.path("job");
      table.row(
          Formats.text(s, "name"),
          Formats.text(s, "cron"),
          Formats.text(s, "timezone"),
          Formats.text(job, "type"),
          Formats.text(job, "lane"),
          Formats.age(Formats.text(s, "next_fire_at"), now),
          Formats.age(Formats.text(s, "last_fired_at"), now));
    }
    if (table.isEmpty()) {
      out.println("no schedules");
    } else {
      table.print(out);
    }
  }
}
