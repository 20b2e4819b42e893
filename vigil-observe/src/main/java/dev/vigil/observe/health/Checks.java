package dev.vigil.observe.health;

import dev.vigil.Vigil;
import dev.vigil.job.LaneStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The ready-made health checks. Each names what it looks at and the thresholds that make it
 * {@code degraded} or {@code unhealthy}; {@link VigilHealth} assembles them for an engine.
 */
public final class Checks {
  private Checks() {}

  /**
   * A timed round trip to the store: unhealthy when it throws, degraded when slower than {@code
   * warnAbove}. The caller's timeout (see {@link HealthChecks}) bounds a store that hangs.
   */
  public static HealthCheck store(Runnable roundTrip, Duration warnAbove) {
    return new StoreCheck(roundTrip, warnAbove);
  }

  /**
   * Free space on the file system holding {@code dir} (or its nearest existing parent):
   * unhealthy below {@code minFreeBytes}, degraded below {@code warnFreeBytes}.
   */
  public static HealthCheck diskSpace(Path dir, long minFreeBytes, long warnFreeBytes) {
    return new DiskSpaceCheck(dir, minFreeBytes, warnFreeBytes);
  }

  /**
   * Heap in use against the most the JVM may use: degraded above {@code warnRatio}, unhealthy
   * above {@code maxRatio}.
   */
  public static HealthCheck memory(double warnRatio, double maxRatio) {
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    return new MemoryCheck(
        () -> bean.getHeapMemoryUsage().getUsed(),
        () -> maxHeap(bean),
        () -> bean.getNonHeapMemoryUsage().getUsed(),
        warnRatio,
        maxRatio);
  }

  /**
   * This process's CPU use (0 to 1 of the machine) and the system's, as information: always
   * healthy, since a busy job engine is a working one.
   */
  public static HealthCheck cpu() {
    return CpuCheck.ofPlatform(OptionalDouble.empty());
  }

  /** As {@link #cpu()}, but degraded when the process uses more than {@code warnLoad}. */
  public static HealthCheck cpu(double warnLoad) {
    return CpuCheck.ofPlatform(OptionalDouble.of(warnLoad));
  }

  /**
   * The dispatcher loop of {@code vigil}: degraded when it has not turned for {@code warnAfter},
   * unhealthy (stalled) after {@code stallAfter}. Healthy when no loop runs on this node (no
   * in-process handlers).
   */
  public static HealthCheck dispatcher(Vigil vigil, InstantSource clock, Duration warnAfter, Duration stallAfter) {
    return dispatcher(vigil::dispatcherHeartbeat, clock, warnAfter, stallAfter);
  }

  /** As {@link #dispatcher(Vigil, InstantSource, Duration, Duration)}, from any heartbeat. */
  public static HealthCheck dispatcher(
      Supplier<Optional<Instant>> heartbeat, InstantSource clock, Duration warnAfter, Duration stallAfter) {
    return new DispatcherCheck(heartbeat, clock, warnAfter, stallAfter);
  }

  /**
   * Each lane's backlog (scheduled plus ready) against its capacity: degraded at {@code
   * degradedRatio} of capacity, unhealthy at {@code unhealthyRatio}; the fullest lane decides.
   */
  public static HealthCheck backlog(Supplier<List<LaneStatus>> lanes, double degradedRatio, double unhealthyRatio) {
    return new BacklogCheck(lanes, degradedRatio, unhealthyRatio);
  }

  /** A TCP connection to {@code host:port} within {@code timeout}: unhealthy when refused or slow. */
  public static HealthCheck tcp(String host, int port, Duration timeout) {
    return new TcpProbe(host, port, timeout);
  }

  /**
   * An HTTP GET of {@code url} within {@code timeout}: healthy on any answer below 500 (the
   * service is up, even when it wants credentials), unhealthy on 5xx or no answer.
   */
  public static HealthCheck http(URI url, Duration timeout) {
    return new HttpProbe(url, timeout);
  }

  private static long maxHeap(MemoryMXBean bean) {
    long max = bean.getHeapMemoryUsage().getMax();
    return max > 0 ? max : Runtime.getRuntime().maxMemory();
  }

  /** {@code 1.5 GiB}, {@code 300.0 MiB}: sizes for messages. */
  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static double round(double v, int places) {
    double scale = Math.pow(10, places);
    return Math.round(v * scale) / scale;
  }
}
