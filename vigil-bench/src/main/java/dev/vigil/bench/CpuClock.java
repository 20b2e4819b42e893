package dev.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time this process has used so far, all threads together (user and system), from the
 * platform's {@code OperatingSystemMXBean}; falls back to {@link ProcessHandle} where that bean is
 * not the JDK's extended one.
 */
final class CpuClock {
  private CpuClock() {}

  /** Nanoseconds of CPU used by this process since it started. */
  static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long t = sun.getProcessCpuTime();
      if (t >= 0) {
        return t;
      }
    }
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L);
  }

  /** The one-minute load average of the machine, or -1 where the platform has none. */
  static double loadAverage() {
    return Figures.round2(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * The share of the last 60 s in which some runnable task waited for a CPU (Linux pressure stall
   * information, {@code /proc/pressure/cpu}, "some avg60", in %), or -1 where there is none. A
   * measure of how much other work competed with the benchmark.
   */
  static double cpuPressure() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/pressure/cpu"))) {
        if (line.startsWith("some")) {
          for (String field : line.split(" ")) {
            if (field.startsWith("avg60=")) {
              return Double.parseDouble(field.substring(6));
            }
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or no PSI
    }
    return -1;
  }
}
