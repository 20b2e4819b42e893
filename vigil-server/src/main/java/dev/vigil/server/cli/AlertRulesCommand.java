package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.observe.history.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code vigil alerts rules}: the rules running, their health, and a refused rules file. */
@Command(
    name = "rules",
    description = {
      "List the alert rules running and their health (GET /api/v1/alerts/rules).",
      "A refused rules file is reported below the table. Health is the answering",
      "node's: only the leader evaluates."
    })
final class AlertRulesCommand extends ClientCommand {

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.alertRules();
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    var table = Table.of("NAME", "KIND", "SEVERITY", "FOR", "HEALTH", "LAST ERROR");
    for (JsonNode r : response.json().path("rules")) {
      JsonNode forMs = r.get("for_ms");
      table.row(
          Formats.text(r, "name"),
          Formats.text(r, "kind"),
          Formats.text(r, "severity"),
          forMs == null || !forMs.isNumber() ? null : Durations.format(Duration.ofMillis(forMs.asLong())),
          Formats.text(r, "health"),
          Formats.line(Formats.text(r, "last_error"), 80));
    }
    if (table.isEmpty()) {
      out.println("no alert rules");
    } else {
      table.print(out);
    }
    String configError = Formats.text(response.json(), "config_error");
    if (configError != null) {
      out.println(refusal(configError));
    }
  }

  /** One line saying the rules file was refused and why. */
  static String refusal(String configError) {
    return "rules file refused, the rules running stay: " + Formats.line(configError, 300);
  }
}
