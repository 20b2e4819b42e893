package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "carbon",
    description = {
      "Show the energy and carbon of a time range (GET /api/v1/carbon): Vigil's own processes and the",
      "model calls apart, from metric history, with how they were measured. '-' means unknown, not zero."
    },
    footer = {"", "Examples:", "  vigil carbon", "  vigil carbon --since 7d"})
final class CarbonCommand extends ClientCommand {
  @Option(names = "--since", paramLabel = "TIME", description = "Start of the range: an age (24h, 7d) or an RFC 3339 time; default 24h.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "End of the range; default now.")
  String until;

  @Override
  ApiClient.Response execute(ApiClient api) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("from", Times.relative(spec.commandLine(), "--since", since));
    query.put("to", Times.relative(spec.commandLine(), "--until", until));
    return api.carbon(query);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode c = response.json();
    out.println("from " + Formats.time(c.path("from").asText()) + " to " + Formats.time(c.path("to").asText()));
    var table = Table.of("PART", "#ENERGY WH", "#CO2E G");
    table.row("process", amount(c.path("process").path("energy_wh")), amount(c.path("process").path("co2e_g")));
    table.row("model calls", amount(c.path("llm").path("energy_wh")), amount(c.path("llm").path("co2e_g")));
    table.row("total", amount(c.path("energy_wh")), amount(c.path("co2e_g")));
    table.print(out);
    for (JsonNode note : c.path("notes")) {
      out.println("- " + note.asText());
    }
  }

  private static String amount(JsonNode v) {
    return v.isNumber() ? String.format(Locale.ROOT, "%.3f", v.asDouble()) : null;
  }
}
