package dev.vigil.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls a server and prints the answer: as a table or a few lines for people, with
 * control characters escaped ({@link Terminal}), or, with {@code --json}, the server's JSON as it
 * came (raw controls inside its strings written as JSON escapes; nothing for an answer without a
 * body, such as a 204). Errors travel as {@link
 * CliException}s, which {@link VigilCli} turns into one line on standard error and an exit code.
 */
abstract class ClientCommand implements Callable<Integer> {

  @Mixin ClientOptions client;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    ApiClient api = client.api(spec.commandLine(), ((VigilCli) spec.root().userObject()).stdin());
    ApiClient.Response response = execute(api);
    PrintWriter out = spec.commandLine().getOut();
    if (client.json) {
      if (!response.body().isBlank()) {
        out.println(Terminal.json(response.body().strip()));
      }
    } else {
      print(response, Terminal.safe(out));
    }
    out.flush();
    return 0;
  }

  /** Makes the command's request(s); the answer is what {@code --json} prints. */
  abstract ApiClient.Response execute(ApiClient api);

  /** Prints the answer for people. */
  abstract void print(ApiClient.Response response, PrintWriter out);
}
