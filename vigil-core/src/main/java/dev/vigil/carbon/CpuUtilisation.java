package dev.vigil.carbon;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * CPU energy estimated as the process's CPU utilisation times the package TDP, as CodeCarbon does
 * when it cannot read RAPL: utilisation = CPU time / (wall time x cores), capped at 1, and energy =
 * utilisation x TDP x wall time.
 */
final class CpuUtilisation implements CpuEnergySource {

  private final LongSupplier processCpuNanos;
  private final int cores;
  private final double tdpWatts;
  private long previous;

  CpuUtilisation(LongSupplier processCpuNanos, int cores, double tdpWatts) {
    this.processCpuNanos = processCpuNanos;
    this.cores = Math.max(1, cores);
    this.tdpWatts = tdpWatts;
    this.previous = processCpuNanos.getAsLong();
  }

  /** CPU time used by this JVM, in nanoseconds, from the platform MXBean (-1 if unsupported). */
  static long jvmCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  double tdpWatts() {
    return tdpWatts;
  }

  @Override
  public PowerMethod method() {
    return PowerMethod.CPU_UTILISATION_TDP;
  }

  @Override
  public void prime() {
    previous = processCpuNanos.getAsLong();
  }

  @Override
  public double whSinceLastRead(Duration wall) {
    long now = processCpuNanos.getAsLong();
    long cpuNanos = Math.max(0, now - previous);
    previous = now;
    double wallSeconds = wall.toNanos() / 1e9;
    if (wallSeconds <= 0) {
      return 0;
    }
    double utilisation = Math.min(1.0, cpuNanos / 1e9 / (wallSeconds * cores));
    return utilisation * tdpWatts * wallSeconds / 3600.0;
  }
}
