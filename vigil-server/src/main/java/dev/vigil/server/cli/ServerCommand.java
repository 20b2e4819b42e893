package dev.vigil.server.cli;

import dev.vigil.Vigil;
import dev.vigil.server.ConfigException;
import dev.vigil.server.LogSetup;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "server",
    description = {
      "Run a Vigil server in the foreground until Ctrl-C (or SIGTERM), then stop gracefully.",
      "It runs no job types itself: remote workers claim its jobs over HTTP."
    },
    footer = {
      "",
      "Configuration comes from --config (default ./vigil.yaml when it exists), with VIGIL_*",
      "environment variables on top (VIGIL_PORT, VIGIL_DATA_DIR, VIGIL_API_TOKEN, VIGIL_STORE,",
      "VIGIL_POSTGRES_URL, VIGIL_NODE_ID, ...);",
      "see docs/configuration.md. Logs go to standard error as JSON lines, redacted",
      "(logging.format: text or VIGIL_LOG_FORMAT=text for readable lines)."
    })
public final class ServerCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration file.")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig settings = configuration(spec, config, System.getenv(), ServerConfig.builder());
    LogSetup.apply(LogSetup.resolve(settings.logFormat(), LogSetup.Format.JSON), settings.redactor());
    VigilServer server =
        start(settings, engine -> {}, "set server.port in vigil.yaml or VIGIL_PORT");
    // on SIGINT or SIGTERM the hook closes the server gracefully and exits with status 0
    server.installShutdownHook();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Vigil server on "
            + server.url()
            + "  (node "
            + settings.nodeId()
            + ", "
            + server.storeDescription()
            + "; Ctrl-C to stop)");
    out.flush();
    server.awaitTermination();
    return 0;
  }

  /**
   * Reads the configuration of a command that runs a server: {@code file} (named by {@code
   * --config}; when null, {@code ./vigil.yaml} if it exists), then the {@code VIGIL_*} variables of
   * {@code env} on top, over {@code defaults} for every key neither sets. A file that does not
   * exist is a usage error; a bad value ends the command with one line and exit code 1.
   */
  public static ServerConfig configuration(
      CommandSpec spec, Path file, Map<String, String> env, ServerConfig.Builder defaults) {
    if (file != null && !Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), "--config: no such file: " + file);
    }
    try {
      return ServerConfig.load(file, env, defaults);
    } catch (ConfigException e) {
      throw new CliException(CliException.FAILURE, "bad configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a server; a failure to start (port in use, bad configuration) ends the command with one
   * line and exit code 1. {@code portHint} tells how to choose another port.
   */
  public static VigilServer start(
      ServerConfig config, Consumer<Vigil.Builder> customiser, String portHint) {
    try {
      return VigilServer.start(config, customiser);
    } catch (ConfigException e) {
      String message =
          "server.port".equals(e.key())
              ? e.reason() + "; " + portHint
              : "bad configuration: " + e.getMessage();
      throw new CliException(CliException.FAILURE, message, e);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new CliException(
          CliException.FAILURE,
          "cannot start the server ("
              + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage())
              + ")",
          e);
    }
  }
}
