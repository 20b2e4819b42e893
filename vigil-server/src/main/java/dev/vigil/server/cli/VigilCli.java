package dev.vigil.server.cli;

import dev.vigil.server.demo.DemoCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code vigil} command line: {@code server} and {@code demo} run a server in this process; the
 * other commands talk to a running server over HTTP.
 *
 * <p>Exit codes: 0 success; 1 the server or the network failed, or the server refused the request;
 * 2 a usage error; 3 the job, lane, schedule, error group or silence does not exist. Every failure
 * is one line on standard error, starting with {@code vigil:}. Control characters in anything
 * printed for people are shown as escapes ({@link Terminal}).
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VigilCli.Version.class,
    description = "Durable, prioritised background jobs for LLM applications.",
    subcommands = {
      ServerCommand.class,
      DemoCommand.class,
      EnqueueCommand.class,
      JobsCommand.class,
      JobCommand.class,
      CancelCommand.class,
      RetryCommand.class,
      LanesCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      SchedulesCommand.class,
      StatusCommand.class,
      NodesCommand.class,
      LimitsCommand.class,
      CarbonCommand.class,
      ErrorsCommand.class,
      ErrorCommand.class,
      AlertsCommand.class,
      SilenceCommand.class,
      SilencesCommand.class,
      UnsilenceCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Client commands reach --url (env VIGIL_URL; default http://127.0.0.1:8080).",
      "API token: env VIGIL_API_TOKEN (recommended), --token-file FILE, --token-stdin;",
      "--token TOKEN works too, but shows in ps and in shell history.",
      "Add --json for the server's JSON.",
      "Exit codes: 0 ok, 1 server or network error, 2 usage error, 3 not found."
    })
public final class VigilCli implements Runnable {

  @Spec CommandSpec spec;

  private final InputStream stdin;

  private VigilCli(InputStream stdin) {
    this.stdin = stdin;
  }

  /** The standard input of this run. */
  InputStream stdin() {
    return stdin;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests set its out and err writers and call {@code execute}. */
  public static CommandLine commandLine() {
    return commandLine(System.in);
  }

  /** The command line with {@code stdin} as its standard input ({@code --token-stdin} reads it). */
  static CommandLine commandLine(InputStream stdin) {
    return new CommandLine(new VigilCli(stdin))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(VigilCli::onFailure)
        .setParameterExceptionHandler(VigilCli::onUsageError);
  }

  private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    // a refusal's message may quote the server, which may quote a worker: escaped like the output
    PrintWriter err = Terminal.safe(cmd.getErr());
    if (e instanceof CliException failure) {
      err.println("vigil: " + failure.getMessage());
      err.flush();
      return failure.exitCode();
    }
    err.println("vigil: unexpected error: " + e);
    e.printStackTrace(err);
    err.flush();
    return CliException.FAILURE;
  }

  /** A usage error: the message and where to read more, without the whole usage text. */
  private static int onUsageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = Terminal.safe(cmd.getErr());
    err.println("vigil: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VigilCli.class.getPackage().getImplementationVersion();
      return new String[] {"vigil " + (v == null ? "(development build)" : v)};
    }
  }
}
