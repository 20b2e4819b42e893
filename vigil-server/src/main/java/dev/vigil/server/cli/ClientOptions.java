package dev.vigil.server.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command that talks to a server shares: where, with what token, how to print.
 */
final class ClientOptions {

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:VIGIL_URL:-http://127.0.0.1:8080}",
      description = "The Vigil server (env VIGIL_URL; default ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:VIGIL_API_TOKEN}",
      showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
      description = "API token, sent as a bearer token (env VIGIL_API_TOKEN).")
  String token;

  @Option(names = "--json", description = "Print the server's JSON answer as it came, for scripts.")
  boolean json;

  /** A client for the server at {@code --url}; a URL that is not one is a usage error. */
  ApiClient api(CommandLine cmd) {
    try {
      return new ApiClient(url, token, Duration.ofSeconds(30));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, "--url: " + e.getMessage());
    }
  }
}
