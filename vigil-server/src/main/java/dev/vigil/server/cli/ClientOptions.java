package dev.vigil.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command that talks to a server shares: where, with what token, how to print.
 *
 * <p>The token comes from one place: {@code --token-file FILE} or {@code --token-stdin} (the first
 * line, trimmed), {@code --token TOKEN}, or else the environment variable {@value #TOKEN_ENV}.
 * Giving more than one of the options is a usage error. {@code --token} stays for quick tries on a
 * laptop, but its value is visible to every user in {@code ps} and kept in shell history: the help
 * says so and recommends the environment or a file.
 */
final class ClientOptions {
  /** The environment variable a token is read from when no option names one. */
  static final String TOKEN_ENV = "VIGIL_API_TOKEN";

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:VIGIL_URL:-http://127.0.0.1:8080}",
      description = "The Vigil server (env VIGIL_URL; default ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "API token, sent as a bearer token. Shows in ps and shell history: prefer env "
              + TOKEN_ENV
              + " (used when no token option is given), --token-file or --token-stdin.")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the API token from the first line of FILE (trimmed); keep it chmod 600.")
  Path tokenFile;

  @Option(
      names = "--token-stdin",
      description = "Read the API token from the first line of standard input (trimmed).")
  boolean tokenStdin;

  @Option(names = "--json", description = "Print the server's JSON answer as it came, for scripts.")
  boolean json;

  /**
   * A client for the server at {@code --url} with the token from its one source; a URL that is not
   * one, or a token source that is doubled, unreadable or empty, is a usage error.
   */
  ApiClient api(CommandLine cmd, InputStream stdin) {
    String bearer = token(cmd, stdin, System.getenv(TOKEN_ENV));
    try {
      return new ApiClient(url, bearer, Duration.ofSeconds(30));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, "--url: " + e.getMessage());
    }
  }

  /** The token from the one option that names it, else {@code env}; null when there is none. */
  String token(CommandLine cmd, InputStream stdin, String env) {
    int given = (token != null ? 1 : 0) + (tokenFile != null ? 1 : 0) + (tokenStdin ? 1 : 0);
    if (given > 1) {
      throw new ParameterException(
          cmd, "give only one of --token, --token-file and --token-stdin (or none: env " + TOKEN_ENV + ")");
    }
    String value;
    String source;
    if (tokenFile != null) {
      source = "--token-file: " + tokenFile;
      value = firstLine(cmd, source, () -> Files.newBufferedReader(tokenFile, StandardCharsets.UTF_8));
    } else if (tokenStdin) {
      source = "--token-stdin: standard input";
      value = firstLine(cmd, source, () -> new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
    } else if (token != null) {
      source = "--token";
      value = token.strip();
    } else {
      source = "env " + TOKEN_ENV;
      value = env == null || env.isBlank() ? null : env.strip();
    }
    if (tokenFile != null || tokenStdin) {
      if (value == null || value.isEmpty()) {
        throw new ParameterException(cmd, source + " has no token on its first line");
      }
    }
    if (value != null && !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // never echoed: the HTTP client would print an invalid header value in full
      throw new ParameterException(
          cmd, source + ": the token must be printable ASCII without spaces or control characters");
    }
    return value;
  }

  private interface Opener {
    BufferedReader open() throws IOException;
  }

  private static String firstLine(CommandLine cmd, String source, Opener opener) {
    try (BufferedReader reader = opener.open()) {
      String line = reader.readLine();
      return line == null ? null : line.strip();
    } catch (IOException e) {
      String why =
          e instanceof java.nio.file.NoSuchFileException
              ? "no such file"
              : e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : e.getClass().getSimpleName();
      throw new ParameterException(cmd, source + ": cannot read it (" + why + ")");
    }
  }
}
