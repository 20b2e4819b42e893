package dev.vigil.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(
    name = "enqueue",
    description = "Enqueue one job (POST /api/v1/jobs) and print its id.",
    footer = {
      "",
      "Example:",
      "  vigil enqueue generate_reply --lane cognition --payload '{\"post_id\":\"p1\"}'"
    })
final class EnqueueCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "TYPE", description = "The job type, e.g. generate_reply.")
  String type;

  @Option(
      names = "--lane",
      paramLabel = "LANE",
      description = "The lane (the server's default is background).")
  String lane;

  @Option(names = "--payload", paramLabel = "JSON", description = "The payload, a JSON value.")
  String payload;

  @Option(
      names = "--delay-ms",
      paramLabel = "N",
      description = "Run no earlier than N ms from now.")
  Long delayMs;

  @Option(
      names = "--unique-key",
      paramLabel = "K",
      description = "At most one active job has this key.")
  String uniqueKey;

  @Option(
      names = "--correlation-id",
      paramLabel = "C",
      description = "Ties the job to a request or conversation: 1-128 letters, digits, . _ : -")
  String correlationId;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Total attempts allowed, 1 to 100.")
  Integer maxAttempts;

  @Option(names = "--timeout-ms", paramLabel = "N", description = "How long one attempt may run.")
  Long timeoutMs;

  @Option(names = "--tag", paramLabel = "TAG", description = "A label for filtering; repeatable.")
  List<String> tags;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.enqueue(body());
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode job = response.json();
    String id = Formats.text(job, "id");
    String where = Formats.text(job, "type") + " on " + Formats.text(job, "lane");
    if (job.path("duplicate").asBoolean(false)) {
      out.println(
          id
              + "  (already enqueued with this unique key: "
              + where
              + ", "
              + Formats.text(job, "state")
              + ")");
    } else {
      out.println(id + "  (" + where + ", " + Formats.text(job, "state") + ")");
    }
  }

  /** The enqueue request; an unparseable payload is a usage error. */
  ObjectNode body() {
    var json = JsonMapper.builder().build();
    ObjectNode body = json.createObjectNode().put("type", type);
    putIfSet(body, "lane", lane);
    if (payload != null) {
      try {
        body.set("payload", json.readTree(payload));
      } catch (JsonProcessingException e) {
        throw new ParameterException(
            spec.commandLine(), "--payload is not valid JSON: " + e.getOriginalMessage());
      }
    }
    if (delayMs != null) {
      body.put("delay_ms", delayMs);
    }
    putIfSet(body, "unique_key", uniqueKey);
    putIfSet(body, "correlation_id", correlationId);
    if (maxAttempts != null) {
      body.put("max_attempts", maxAttempts);
    }
    if (timeoutMs != null) {
      body.put("timeout_ms", timeoutMs);
    }
    if (tags != null && !tags.isEmpty()) {
      tags.forEach(body.putArray("tags")::add);
    }
    return body;
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
