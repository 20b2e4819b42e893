package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "cancel",
    description = {
      "Cancel a job (POST /api/v1/jobs/{id}/cancel).",
      "A scheduled or ready job is cancelled at once; a running one when its handler stops."
    })
final class CancelCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.cancel(id);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode job = response.json();
    if (job.path("cancel_requested").asBoolean(false)
        && !"cancelled".equals(Formats.text(job, "state"))) {
      out.println(id + "  cancel requested (running; it ends cancelled when its handler stops)");
    } else {
      out.println(id + "  " + Formats.text(job, "state"));
    }
  }
}
