package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "retry",
    description =
        "Send a dead or cancelled job back to ready, keeping its attempts (POST"
            + " /api/v1/jobs/{id}/retry).")
final class RetryCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.retry(id);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    JsonNode job = response.json();
    out.println(
        id
            + "  "
            + Formats.text(job, "state")
            + " (attempts so far: "
            + job.path("attempt").asInt()
            + ", max "
            + job.path("max_attempts").asInt()
            + ")");
  }
}
