package dev.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time this process has used so far, all threads together (user and system), from the
 * platform's {@code OperatingSystemMXBean}; falls back to {@link ProcessHandle} where that bean
 * is not the JDK's extended one.
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
}
