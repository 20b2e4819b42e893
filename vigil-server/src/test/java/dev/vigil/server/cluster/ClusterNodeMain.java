package dev.vigil.server.cluster;

import dev.vigil.job.JobContext;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One node of the cluster tests, in its own JVM: a {@link VigilServer} configured from {@code
 * VIGIL_*} variables exactly as {@code vigil server} is, with handlers for the test's job types.
 * Each handler appends {@code jobId,nodeId} to this node's completions file before it returns (so a
 * job the store records as succeeded always has its line, even when the node is killed right
 * after), then the node writes its API URL to a file for the test to find.
 *
 * <p>Arguments: the completions file, the URL file, how long a {@code work} job takes in
 * milliseconds, and optionally a configuration file ({@code vigil.yaml}) under the variables.
 */
public final class ClusterNodeMain {
  /** The type of the producers' jobs. */
  static final String WORK = "work";

  /** The type of the recurring schedule's jobs. */
  static final String TICK = "tick";

  /** The type of jobs only node {@code nodeId} runs (its handlers are the only ones for it). */
  static String pinned(String nodeId) {
    return WORK + ":" + nodeId;
  }

  private ClusterNodeMain() {}

  public static void main(String[] args) throws Exception {
    Path completions = Path.of(args[0]);
    Path urlFile = Path.of(args[1]);
    long workMillis = Long.parseLong(args[2]);
    Path configFile = args.length > 3 ? Path.of(args[3]) : null;
    ServerConfig config = ServerConfig.load(configFile, System.getenv());
    var log = new CompletionLog(completions, config.nodeId());
    VigilServer server =
        VigilServer.start(
            config,
            engine ->
                engine
                    .handler(
                        WORK,
                        ctx -> {
                          if (workMillis > 0) {
                            Thread.sleep(workMillis); // the job's work
                          }
                          log.completed(ctx);
                        })
                    .handler(TICK, log::completed)
                    .handler(pinned(config.nodeId()), log::completed));
    server.installShutdownHook();
    Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
    Files.writeString(tmp, server.url());
    Files.move(tmp, urlFile, StandardCopyOption.ATOMIC_MOVE);
    server.awaitTermination();
  }

  /** Appends one line per completed handler call; each line reaches the OS before the handler returns. */
  private static final class CompletionLog {
    private final Writer out;
    private final String nodeId;

    CompletionLog(Path file, String nodeId) throws IOException {
      this.out =
          Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      this.nodeId = nodeId;
    }

    synchronized void completed(JobContext ctx) {
      try {
        out.write(ctx.jobId() + "," + nodeId + "\n");
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
