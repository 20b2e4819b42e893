package dev.vigil.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Resume a paused lane (POST /api/v1/lanes/{name}/resume).")
final class ResumeCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "LANE", description = "The lane, e.g. background.")
  String lane;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.resume(lane);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    out.println("lane " + lane + " resumed");
  }
}
