package dev.vigil.server.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Vigil server in a child JVM ({@link ClusterNodeMain}), started on the test's class path with
 * the given {@code VIGIL_*} environment. Its output goes to {@code <dir>/<id>.log}, its handlers'
 * completions to {@code <dir>/<id>.completions}.
 */
final class NodeProcess implements AutoCloseable {
  /** Small heaps and a quick JIT: several of these share two cores with PostgreSQL and the test. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private final String id;
  private final Process process;
  private final Path completions;
  private final Path urlFile;
  private String url;

  private NodeProcess(String id, Process process, Path completions, Path urlFile) {
    this.id = id;
    this.process = process;
    this.completions = completions;
    this.urlFile = urlFile;
  }

  /**
   * Starts node {@code id}; {@code env} holds its {@code VIGIL_*} settings ({@code VIGIL_NODE_ID} is
   * set to {@code id}). The test's own {@code VIGIL_*} variables are not passed on.
   */
  static NodeProcess start(String id, Map<String, String> env, Path dir, long workMillis) {
    return start(id, env, dir, workMillis, null);
  }

  /** As {@link #start(String, Map, Path, long)}, with the configuration file {@code config} (or none). */
  static NodeProcess start(String id, Map<String, String> env, Path dir, long workMillis, Path config) {
    Path completions = dir.resolve(id + ".completions");
    Path urlFile = dir.resolve(id + ".url");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command = new ArrayList<String>();
    command.add(java);
    command.addAll(JVM_OPTIONS);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ClusterNodeMain.class.getName(),
            completions.toString(),
            urlFile.toString(),
            String.valueOf(workMillis)));
    if (config != null) {
      command.add(config.toString());
    }
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    builder.environment().putAll(env);
    builder.environment().put("VIGIL_NODE_ID", id);
    try {
      Files.deleteIfExists(urlFile);
      return new NodeProcess(id, builder.start(), completions, urlFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String id() {
    return id;
  }

  /** Waits until the server listens; its base URL. */
  String awaitUrl() {
    if (url == null) {
      await("node " + id + " listening")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(urlFile) || !process.isAlive());
      if (!Files.exists(urlFile)) {
        throw new IllegalStateException("node " + id + " exited with " + process.exitValue() + " before listening");
      }
      try {
        url = Files.readString(urlFile).strip();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return url;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no drain, no lease given back, no last word. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The {@code jobId,nodeId} lines its handlers wrote. */
  List<String> completions() {
    try {
      return Files.exists(completions) ? Files.readAllLines(completions) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then SIGKILL if it has not drained within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
