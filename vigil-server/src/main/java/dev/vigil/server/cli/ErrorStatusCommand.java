package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil errors resolve|ignore|unresolve ID}: sets a group's status. */
abstract class ErrorStatusCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The error group id (vigil errors lists them).")
  String id;

  @Option(
      names = "--by",
      paramLabel = "NAME",
      description = "Who does it, kept with a resolution (default: the server's 'api').")
  String by;

  /** The route's last segment: {@code resolve}, {@code ignore} or {@code unresolve}. */
  abstract String action();

  @Override
  ApiClient.Response execute(ApiClient api) {
    ObjectNode body = ApiClient.object();
    if (by != null) {
      body.put("by", by);
    }
    return api.errorStatus(id, action(), body);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode g = response.json();
    String line = Formats.text(g, "id") + "  " + ErrorsCommand.status(g);
    String resolvedBy = Formats.text(g, "resolved_by");
    if ("resolved".equals(Formats.text(g, "status")) && resolvedBy != null) {
      line += " by " + resolvedBy;
    }
    out.println(line + "  " + Formats.line(Formats.text(g, "title"), 70));
  }

  @Command(
      name = "resolve",
      description = {
        "Resolve an error group (POST /api/v1/errors/{id}/resolve).",
        "If it happens again it becomes unresolved and regressed."
      })
  static final class Resolve extends ErrorStatusCommand {
    @Override
    String action() {
      return "resolve";
    }
  }

  @Command(
      name = "ignore",
      description = {
        "Ignore an error group (POST /api/v1/errors/{id}/ignore).",
        "It is still counted but never regresses."
      })
  static final class Ignore extends ErrorStatusCommand {
    @Override
    String action() {
      return "ignore";
    }
  }

  @Command(
      name = "unresolve",
      description = "Set an error group back to unresolved (POST /api/v1/errors/{id}/unresolve).")
  static final class Unresolve extends ErrorStatusCommand {
    @Override
    String action() {
      return "unresolve";
    }
  }
}
