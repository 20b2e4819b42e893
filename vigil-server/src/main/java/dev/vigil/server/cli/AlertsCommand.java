package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code vigil alerts}: the alerts pending and firing, with a warning when the rules file was refused. */
@Command(
    name = "alerts",
    description = {
      "List the alerts pending and firing, firing first (GET /api/v1/alerts);",
      "see their history and the rules with the subcommands. A rules file the server",
      "refused is reported on standard error."
    },
    subcommands = {AlertHistoryCommand.class, AlertRulesCommand.class},
    footer = {
      "",
      "Examples:",
      "  vigil alerts",
      "  vigil alerts history --since 7d",
      "  vigil alerts rules",
      "  vigil silence VigilBacklogHigh --for 2h --comment 'backfill running'"
    })
final class AlertsCommand extends ClientCommand {
  /** Labels with a column of their own. */
  static final Set<String> SHOWN_LABELS = Set.of("alertname", "severity");

  @Override
  ApiClient.Response execute(ApiClient api) {
    ApiClient.Response alerts = api.alerts();
    String configError = Formats.text(api.alertRules().json(), "config_error");
    if (configError != null) {
      PrintWriter err = Terminal.safe(spec.commandLine().getErr());
      err.println("vigil: warning: " + AlertRulesCommand.refusal(configError));
      err.flush();
    }
    return alerts;
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    Instant now = Instant.now();
    var table = Table.of("RULE", "STATE", "SEVERITY", "LABELS", "#VALUE", "SINCE", "SUMMARY");
    for (JsonNode a : response.json().path("alerts")) {
      String state = Formats.text(a, "state");
      String since = Formats.text(a, "firing".equals(state) ? "firing_since" : "active_since");
      table.row(
          Formats.text(a, "rule"),
          state,
          Formats.text(a, "severity"),
          Formats.pairs(a.path("labels"), SHOWN_LABELS, 80),
          Formats.number(a.get("value")),
          Formats.age(since, now),
          Formats.line(Formats.text(a.path("annotations"), "summary"), 60));
    }
    if (table.isEmpty()) {
      out.println("no alerts");
    } else {
      table.print(out);
    }
  }
}
