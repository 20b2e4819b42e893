package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;

/**
 * The server answered with an error status. The message is one line built from the RFC 9457 problem
 * document when there is one: its detail (or title) followed by each failing field, e.g. {@code
 * invalid job (lane: unknown lane; max_attempts: must be between 1 and 100)}.
 */
final class ApiException extends CliException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(status == 404 ? NOT_FOUND : FAILURE, message);
    this.status = status;
  }

  /** The HTTP status the server answered. */
  int status() {
    return status;
  }

  /** Builds the exception from an error response; {@code problem} may be null (not JSON). */
  static ApiException from(int status, JsonNode problem, String body) {
    return new ApiException(status, describe(status, problem, body));
  }

  private static String describe(int status, JsonNode problem, String body) {
    if (problem == null || !problem.isObject()) {
      String text = body == null ? "" : body.strip().lines().findFirst().orElse("");
      if (text.length() > 200) {
        text = text.substring(0, 200) + "…";
      }
      return "server answered " + status + (text.isEmpty() ? "" : ": " + text);
    }
    String detail = text(problem, "detail");
    if (detail == null) {
      detail = text(problem, "title");
    }
    if (detail == null) {
      detail = "server answered " + status;
    }
    var fields = new ArrayList<String>();
    for (JsonNode error : problem.path("errors")) {
      String field = text(error, "field");
      String message = text(error, "message");
      if (message != null && detail.contains(message)) {
        continue; // the detail already says it, as it does for a single failing field
      }
      fields.add(
          field == null || field.isEmpty() ? String.valueOf(message) : field + ": " + message);
    }
    String line = fields.isEmpty() ? detail : detail + " (" + String.join("; ", fields) + ")";
    return line.replaceAll("\\s*\\R\\s*", " ");
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
