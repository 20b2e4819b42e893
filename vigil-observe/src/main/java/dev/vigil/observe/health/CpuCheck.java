package dev.vigil.observe.health;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalDouble;
import java.util.function.DoubleSupplier;

/**
 * This process's share of the machine's CPU, with the system's for context.
 *
 * <p>Design: a job engine at full speed is supposed to use its CPU, so by default the load is
 * information only and the check is always healthy: a busy node that turns degraded, then healthy,
 * then degraded again tells no one anything. A warning load is an opt-in, for a node whose CPU
 * should stay low.
 */
final class CpuCheck implements HealthCheck {
  private final DoubleSupplier processLoad;
  private final DoubleSupplier systemLoad;
  private final int processors;
  private final OptionalDouble warnLoad;

  /**
   * @param processLoad the process's share of the machine, 0 to 1; negative when not available
   * @param systemLoad the whole machine's, 0 to 1; negative when not available
   * @param warnLoad degraded above this process load; empty: the load is information only
   */
  CpuCheck(DoubleSupplier processLoad, DoubleSupplier systemLoad, int processors, OptionalDouble warnLoad) {
    this.processLoad = processLoad;
    this.systemLoad = systemLoad;
    this.processors = processors;
    this.warnLoad = warnLoad;
  }

  static CpuCheck ofPlatform(OptionalDouble warnLoad) {
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
        warnLoad.isPresent() && process > warnLoad.getAsDouble()
            ? CheckResult.degraded(text + ", process over " + Math.round(warnLoad.getAsDouble() * 100) + " %")
            : CheckResult.healthy(text);
    r = r.with("process_cpu_load", Checks.round(process, 4))
        .with("system_cpu_load", Checks.round(system, 4))
        .with("available_processors", processors);
    return warnLoad.isPresent() ? r.with("warn_load", warnLoad.getAsDouble()) : r;
  }
}
