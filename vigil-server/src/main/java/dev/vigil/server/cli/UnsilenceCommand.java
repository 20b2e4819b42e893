package dev.vigil.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil unsilence ID}: ends a silence now. */
@Command(
    name = "unsilence",
    description = "End a silence now (DELETE /api/v1/alerts/silences/{id}).")
final class UnsilenceCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The silence id (vigil silences lists them).")
  String id;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.unsilence(id);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    out.println(id + "  ended");
  }
}
