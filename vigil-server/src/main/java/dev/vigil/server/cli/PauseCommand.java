package dev.vigil.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "pause",
    description =
        "Pause a lane: it keeps accepting jobs but starts none (POST /api/v1/lanes/{name}/pause).")
final class PauseCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "LANE", description = "The lane, e.g. background.")
  String lane;

  @Override
  ApiClient.Response execute(ApiClient api) {
    return api.pause(lane);
  }

  @Override
  void print(ApiClient.Response response, PrintWriter out) {
    out.println("lane " + lane + " paused; resume it with: vigil resume " + lane);
  }
}
