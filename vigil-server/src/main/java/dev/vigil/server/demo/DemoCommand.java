package dev.vigil.server.demo;

import ch.qos.logback.classic.Level;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.server.LogSetup;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.server.cli.ServerCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: a server (on the embedded store unless configured otherwise) with a simulated
 * AI application running in it ({@link DemoWorkload}), fed by a {@link LoadGenerator} and a
 * schedule that fires every minute, reporting a {@link StatusLine} every two seconds until Ctrl-C.
 *
 * <p>It reads the same configuration as {@code vigil server} ({@code vigil.yaml} or {@code
 * --config}, then {@code VIGIL_*} variables), with its flags on top, so what a user sets up for the
 * demo carries over to the server. Its own defaults differ only where the demo needs it: running
 * jobs get 3 s at a stop (dreams take 30 s) and logs are readable lines.
 */
@Command(
    name = "demo",
    description = {
      "Run a server with a simulated AI workload: chat replies, social posts, enrichment and",
      "30-second dreams in four lanes, with retries and dead jobs, until Ctrl-C."
    },
    footer = {
      "",
      "Configuration as for vigil server: --config (default ./vigil.yaml when it exists), with",
      "VIGIL_* environment variables on top (VIGIL_PORT, VIGIL_DATA_DIR, ...) and these flags on",
      "top of both; see docs/configuration.md."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String SCHEDULE = "memory_digest";
  private static final Duration STATUS_EVERY = Duration.ofSeconds(2);

  /** At a stop, running jobs get this long before their leases go back (dreams take 30 s). */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

  @Option(
      names = "--fresh",
      description = "Delete the demo's database first (the vigil.db files in the data directory).")
  boolean fresh;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The YAML configuration file, as for vigil server (default ./vigil.yaml if it exists).")
  Path config;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Port to listen on; 0 picks a free one (default server.port or VIGIL_PORT, else 8080).")
  Integer port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the database lives (default data_dir or VIGIL_DATA_DIR, else vigil-data).")
  Path dataDir;

  @Option(
      names = "--stop-after",
      paramLabel = "SECONDS",
      description = "Stop by itself after this long, as on Ctrl-C.")
  Integer stopAfterSeconds;

  @Option(
      names = "--verbose",
      description = "Keep the engine's and the web server's INFO logs on the console.")
  boolean verbose;

  @Spec CommandSpec spec;

  /** Where the {@code VIGIL_*} variables come from; tests give their own. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ServerConfig config = settings();
    LogSetup.apply(
        LogSetup.resolve(config.logFormat(), LogSetup.Format.TEXT), config.redactor());
    if (!verbose) {
      quietLogs();
    }
    if (fresh) {
      deleteDatabase(config.dataDir());
    }
    var workload = new DemoWorkload(DemoWorkload.Settings.DEMO);
    StopSignal stop = StopSignal.install();
    try (VigilServer server =
            ServerCommand.start(config, workload::register, "choose another with --port");
        LoadGenerator load =
            LoadGenerator.start(
                server.vigil(), LoadGenerator.Profile.DEMO, new SplittableRandom());
        StatusLine status =
            new StatusLine(server.vigil(), InstantSource.system(), ZoneId.systemDefault())) {
      server.installShutdownHook();
      Vigil vigil = server.vigil();
      vigil.schedule(
          SCHEDULE,
          "* * * * *",
          ZoneId.of("UTC"),
          JobRequest.builder(DemoWorkload.DIGEST).lane("sensory").build());
      Job first =
          vigil.enqueue(
              JobRequest.builder(DemoWorkload.CHAT)
                  .lane("cognition")
                  .payload(
                      Map.of("conversation_id", "conv-1", "message_id", "m-0", "persona", "ava"))
                  .correlationId("conv-1")
                  .build());
      // a dream from the start, so the status shows chat running beside a 30-second job
      vigil.enqueue(
          JobRequest.builder(DemoWorkload.DREAM)
              .lane("background")
              .payload(Map.of("persona", "ava", "memories", 120))
              .uniqueKey("dream:ava")
              .build());
      banner(out, server.url(), first.id(), config.apiToken() != null);
      runUntilStopped(out, status, stop);
      out.println(
          "stopping after "
              + load.enqueued()
              + " generated jobs: running jobs get "
              + shown(config.shutdownGrace())
              + ", then go back to ready for the next start");
      out.flush();
    }
    out.println("stopped");
    out.flush();
    return 0;
  }

  /**
   * The configuration: the demo's defaults, then {@code vigil.yaml} (or {@code --config}), then the
   * {@code VIGIL_*} variables, then the flags: flag over environment over file over default, as
   * for {@code vigil server}.
   */
  ServerConfig settings() {
    if (port != null && (port < 0 || port > 65_535)) {
      throw new ParameterException(
          spec.commandLine(), "--port: must be between 0 and 65535 (got " + port + ")");
    }
    ServerConfig loaded =
        ServerCommand.configuration(
            spec, config, env, ServerConfig.builder().shutdownGrace(SHUTDOWN_GRACE));
    if (fresh && loaded.store() != ServerConfig.StoreKind.SQLITE) {
      throw new ParameterException(
          spec.commandLine(),
          "--fresh: deletes the SQLite database only, but the configuration says store: "
              + loaded.store().wireName());
    }
    ServerConfig.Builder b = loaded.toBuilder();
    if (port != null) {
      b.port(port);
    }
    if (dataDir != null) {
      b.dataDir(dataDir);
    }
    return b.build();
  }

  private static String shown(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private void runUntilStopped(PrintWriter out, StatusLine status, StopSignal stop)
      throws InterruptedException {
    long lines =
        stopAfterSeconds == null
            ? Long.MAX_VALUE
            : Math.max(1, stopAfterSeconds * 1000L / STATUS_EVERY.toMillis());
    out.println(StatusLine.legend());
    out.flush();
    for (long i = 0; i < lines; i++) {
      if (stop.await(STATUS_EVERY)) {
        return;
      }
      out.println(status.next());
      out.flush();
    }
  }

  private static void banner(PrintWriter out, String url, String jobId, boolean token) {
    // the token itself is never printed: the lines name the variable that holds it
    String auth = token ? " -H \"Authorization: Bearer $VIGIL_API_TOKEN\"" : "";
    String json = "-H 'Content-Type: application/json'" + auth;
    out.println();
    out.println("Vigil demo running on " + url + "  (Ctrl-C to stop)");
    out.println(
        "A simulated chat bot: replies on cognition, posts on social, enrichment on sensory,");
    out.println(
        "30-second dreams on background, a digest every minute; 5 % of attempts fail and retry,");
    out.println(
        "1 % fail for good (dead). Model calls are simulated and recorded: tokens, cost, carbon.");
    out.println("Try, in another terminal:");
    out.println();
    out.println("  curl -s -X POST " + url + "/api/v1/jobs " + json + " \\");
    out.println(
        "       -d"
            + " '{\"type\":\"generate_reply\",\"lane\":\"cognition\",\"payload\":{\"conversation_id\":\"c-42\"}}'");
    out.println("  curl -s" + auth + " '" + url + "/api/v1/jobs?state=dead&limit=5'");
    out.println("  curl -s" + auth + " " + url + "/api/v1/jobs/" + jobId + "      # with its usage");
    out.println("  curl -s" + auth + " " + url + "/api/v1/lanes");
    out.println();
    out.println(
        "or the CLI: ./vigil status, ./vigil jobs --state dead, ./vigil lanes, ./vigil carbon"
            + (url.endsWith(":8080") ? "" : " (with --url " + url + ")"));
    out.println();
    out.flush();
  }

  /** Deletes vigil.db and its WAL files; anything else in the directory is left alone. */
  private void deleteDatabase(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "vigil.db*")) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--fresh: cannot empty " + dir + ": " + e.getMessage());
    }
  }

  /** The demo's console is for the status line: engine and web server logs only from WARN up. */
  private static void quietLogs() {
    for (String name :
        new String[] {
          "dev.vigil", "io.javalin", "org.eclipse.jetty", "org.flywaydb", "com.zaxxer"
        }) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(Level.WARN);
      }
    }
  }
}
