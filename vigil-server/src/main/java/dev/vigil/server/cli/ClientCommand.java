package dev.vigil.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls a server and prints the answer: as a table or a few lines for people, or,
 * with {@code --json}, the server's JSON exactly as it came. Errors travel as {@link
 * CliException}s, which {@link VigilCli} turns into one line on standard error and an exit code.
 */
abstract class ClientCommand implements Callable<Integer> {

  @Mixin ClientOptions client;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    ApiClient api = client.api(spec.commandLine());
    ApiClient.Response response = execute(api);
    PrintWriter out = spec.commandLine().getOut();
    if (client.json) {
      out.println(response.body().strip());
    } else {
      print(response, out);
    }
    out.flush();
    return 0;
  }

  /** Makes the command's request(s); the answer is what {@code --json} prints. */
  abstract ApiClient.Response execute(ApiClient api);

  /** Prints the answer for people. */
  abstract void print(ApiClient.Response response, PrintWriter out);
}
