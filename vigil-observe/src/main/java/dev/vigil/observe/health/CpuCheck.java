package dev.vigil.observe.health;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.DoubleSupplier;

/** This process's share of the machine's CPU, with the system's for context. */
final class CpuCheck implements HealthCheck {
  private final DoubleSupplier processLoad;
  private final DoubleSupplier systemLoad;
  private final int processors;
  private final double warnLoad;

  CpuCheck(DoubleSupplier processLoad, DoubleSupplier systemLoad, int processors, double warnLoad) {
    this.processLoad = processLoad;
    this.systemLoad = systemLoad;
    this.processors = processors;
    this.warnLoad = warnLoad;
  }

  static CpuCheck ofPlatform(double warnLoad) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return new CpuCheck(sun::getProcessCpuLoad, sun::getCpuLoad, os.getAvailableProcessors(), warnLoad);
    }
    return new CpuCheck(() -> -1, () -> -1, os.getAvailableProcessors(), warnLoad);
  }

  @Override
  public CheckResult check() {
    double process = processLoad.getAsDouble();
    double system = systemLoad.getAsDouble();
    if (process < 0) {
      return CheckResult.healthy("CPU load not available on this platform").with("available_processors", processors);
    }
    String text = "process " + Math.round(process * 100) + " %, system " + Math.round(Math.max(0, system) * 100)
        + " % of " + processors + " processors";
    CheckResult r =
        process > warnLoad
            ? CheckResult.degraded(text + ", process over " + Math.round(warnLoad * 100) + " %")
            : CheckResult.healthy(text);
    return r.with("process_cpu_load", Checks.round(process, 4))
        .with("system_cpu_load", Checks.round(system, 4))
        .with("available_processors", processors)
        .with("warn_load", warnLoad);
  }
}
