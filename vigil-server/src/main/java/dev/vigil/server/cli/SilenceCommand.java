package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.observe.history.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil silence [RULE] --for DURATION}: mutes the notifications of a rule's alerts, or of
 * the alerts whose labels match, for a while. The duration and the need for a rule or a matcher
 * are checked here, before anything is sent; the server judges the rest.
 */
@Command(
    name = "silence",
    description = {
      "Mute the notifications of a rule's alerts for a while (POST /api/v1/alerts/silences).",
      "With --match only the alerts carrying those label values; with --match alone, any rule's.",
      "Silenced alerts are still evaluated and listed."
    },
    footer = {
      "",
      "Examples:",
      "  vigil silence VigilBacklogHigh --for 2h --comment 'backfill running'",
      "  vigil silence VigilDeadJobs --for 30m --match lane=background",
      "  vigil silence --match lane=sensory --for 1d",
      "Then: vigil silences lists them, vigil unsilence ID ends one."
    })
final class SilenceCommand extends ClientCommand {
  /** The shortest and the longest silence the server takes. */
  private static final Duration MIN = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofDays(366);

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RULE",
      description = "The rule to silence (vigil alerts rules lists them); may be left out when --match is given.")
  String rule;

  @Option(
      names = "--for",
      required = true,
      paramLabel = "DURATION",
      description = "How long, 1s to 366d: 30s, 15m, 1h, 2d.")
  String duration;

  @Option(
      names = "--match",
      paramLabel = "LABEL=VALUE",
      description = "Only alerts with this label value; repeat it and every one must match.")
  Map<String, String> matchers = new LinkedHashMap<>();

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why, listed with the silence.")
  String comment;

  @Override
  ApiClient.Response execute(ApiClient api) {
    Duration length =
        Durations.parse(duration)
            .filter(d -> d.compareTo(MIN) >= 0 && d.compareTo(MAX) <= 0)
            .orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--for wants a duration from 1s to 366d such as 30s, 15m, 1h or 2d, not '" + duration + "'"));
    if (rule == null && matchers.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "name a RULE, give --match LABEL=VALUE, or both");
    }
    ObjectNode body = ApiClient.object();
    if (rule != null) {
      body.put("rule", rule);
    }
    if (!matchers.isEmpty()) {
      matchers.forEach(body.putObject("matchers")::put);
    }
    body.put("duration_ms", length.toMillis());
    if (comment != null) {
      body.put("comment", comment);
    }
    return api.silence(body);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    out.println(
        Formats.text(response.json(), "id") + "  silenced until " + Formats.time(Formats.text(response.json(), "ends_at")));
  }
}
