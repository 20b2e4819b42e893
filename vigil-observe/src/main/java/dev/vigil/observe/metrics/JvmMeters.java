package dev.vigil.observe.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JVM, process and system meters of Micrometer's binders: memory pools and buffers, garbage
 * collection, threads, class loading, CPU, open file descriptors and uptime ({@code jvm_*}, {@code
 * process_*}, {@code system_*}). {@link #close()} stops listening for GC notifications.
 *
 * <p>Two binder meters break Prometheus naming rules ({@code promtool check metrics} says so), so
 * they are replaced: {@code process.cpu.time} (counted in nanoseconds, an abbreviated non-base
 * unit) by {@code process_cpu_seconds_total}, the name Prometheus's own client uses; and the
 * gauge {@code system.cpu.count} (a {@code _count} suffix belongs to histograms) by {@code
 * system_cpu_logical_processors}.
 */
public final class JvmMeters implements AutoCloseable {
  private final JvmGcMetrics gc;

  private JvmMeters(JvmGcMetrics gc) {
    this.gc = gc;
  }

  /**
   * Binds every JVM, process and system meter to {@code registry}. Call it before other meters
   * are registered: it adds the filters that rename the two meters above.
   */
  public static JvmMeters bindTo(MeterRegistry registry) {
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.logical.processors") : id;
      }
    });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    bindProcessCpuSeconds(registry);
    var gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new JvmMeters(gc);
  }

  private static void bindProcessCpuSeconds(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
      FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
          .description("CPU time used by this process")
          .baseUnit("seconds")
          .register(registry);
    }
  }

  @Override
  public void close() {
    gc.close();
  }
}
