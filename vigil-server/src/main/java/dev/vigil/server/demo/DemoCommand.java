package dev.vigil.server.demo;

import ch.qos.logback.classic.Level;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.observe.Redactor;
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
 * {@code vigil demo}: a server on the embedded store with a simulated AI application running in it
 * ({@link DemoWorkload}), fed by a {@link LoadGenerator} and a schedule that fires every minute,
 * reporting a {@link StatusLine} every two seconds until Ctrl-C.
 */
@Command(
    name = "demo",
    description = {
      "Run a server with a simulated AI workload: chat replies, social posts, enrichment and",
      "30-second dreams in four lanes, with retries and dead jobs, until Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String SCHEDULE = "memory_digest";
  private static final Duration STATUS_EVERY = Duration.ofSeconds(2);

  @Option(names = "--fresh", description = "Delete the demo's database first (its vigil.db files).")
  boolean fresh;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "vigil-data",
      description = "Where the database lives (default ${DEFAULT-VALUE}).")
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

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LogSetup.apply(LogSetup.resolve(null, LogSetup.Format.TEXT), Redactor.defaults());
    if (!verbose) {
      quietLogs();
    }
    if (fresh) {
      deleteDatabase(dataDir);
    }
    ServerConfig config =
        ServerConfig.builder()
            .port(port)
            .dataDir(dataDir)
            // dreams take 30 s: at Ctrl-C, give back their leases instead of waiting for them
            .shutdownGrace(Duration.ofSeconds(3))
            .build();
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
      banner(out, server.url(), first.id());
      runUntilStopped(out, status, stop);
      out.println(
          "stopping after "
              + load.enqueued()
              + " generated jobs: running jobs get 3 s, then go back to ready for the next start");
      out.flush();
    }
    out.println("stopped");
    out.flush();
    return 0;
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

  private static void banner(PrintWriter out, String url, String jobId) {
    String json = "-H 'Content-Type: application/json'";
    out.println();
    out.println("Vigil demo running on " + url + "  (Ctrl-C to stop)");
    out.println(
        "A simulated chat bot: replies on cognition, posts on social, enrichment on sensory,");
    out.println(
        "30-second dreams on background, a digest every minute; 5 % of attempts fail and retry,");
    out.println("1 % fail for good (dead). Try, in another terminal:");
    out.println();
    out.println("  curl -s -X POST " + url + "/api/v1/jobs " + json + " \\");
    out.println(
        "       -d"
            + " '{\"type\":\"generate_reply\",\"lane\":\"cognition\",\"payload\":{\"conversation_id\":\"c-42\"}}'");
    out.println("  curl -s '" + url + "/api/v1/jobs?state=dead&limit=5'");
    out.println("  curl -s " + url + "/api/v1/jobs/" + jobId);
    out.println("  curl -s " + url + "/api/v1/lanes");
    out.println();
    out.println(
        "or the CLI: ./vigil status, ./vigil jobs --state dead, ./vigil lanes"
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
