package dev.vigil.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every scenario gets: its sizes, the progress display and a scratch directory. */
record BenchContext(Sizes sizes, Progress progress, Path workDir) {

  /** A new empty directory under the scratch directory, for one engine's database. */
  Path freshDir(String name) {
    try {
      return Files.createTempDirectory(workDir, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
