package dev.vigil.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where a cluster test keeps its nodes' logs and completion files: under {@code target/}, kept after the run. */
final class ClusterFiles {
  private ClusterFiles() {}

  /** A new directory {@code target/cluster-tests/<name>-<time>} (relative to the module). */
  static Path directory(String name) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    Path dir = Path.of("target", "cluster-tests", name + "-" + stamp).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
