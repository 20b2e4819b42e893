package dev.vigil.carbon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Vigil's resident memory in GB: VmRSS from /proc/self/status, else the JVM's committed heap. */
final class ResidentMemory {
  private ResidentMemory() {}

  static double gigabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return parseStatusKb(line) / (1024.0 * 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable: fall through
    }
    return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0 * 1024.0);
  }

  /** The kB value of a /proc status line such as {@code VmRSS:   123456 kB}. */
  static long parseStatusKb(String line) {
    String value = line.substring(line.indexOf(':') + 1).strip();
    int space = value.indexOf(' ');
    return Long.parseLong(space < 0 ? value : value.substring(0, space));
  }
}
