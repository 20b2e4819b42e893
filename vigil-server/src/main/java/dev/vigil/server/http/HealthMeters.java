package dev.vigil.server.http;

import dev.vigil.observe.health.CheckResult;
import dev.vigil.observe.health.HealthChecks;
import dev.vigil.observe.health.HealthReport;
import dev.vigil.observe.health.HealthStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code /health/detailed} reports, as gauges Prometheus can alert on:
 *
 * <ul>
 *   <li>{@code vigil_health_status{check}}: each check's status, 0 healthy, 1 degraded, 2
 *       unhealthy (the check names are the node's own: {@code store}, {@code disk}, {@code
 *       memory}, ... and the configured probes, a bounded set);
 *   <li>with a data directory (the SQLite store), {@code vigil_data_dir_free_bytes} and {@code
 *       vigil_data_dir_total_bytes}: the usable and total space of the file system holding it.
 * </ul>
 *
 * <p>Design: a scrape reads every status gauge one after the other, so the report is taken once
 * and reused for {@link #REUSE} (the checks' own cache may be off); at worst a scrape waits for the
 * slowest check's timeout, as {@code /health/detailed} does. The free space is read from the file
 * system on every scrape, which costs one {@code statfs}.
 */
final class HealthMeters {
  /** How long one health report serves the status gauges. */
  static final Duration REUSE = Duration.ofSeconds(1);

  private final HealthChecks checks;
  private HealthReport last;
  private long lastNanos;

  private HealthMeters(HealthChecks checks) {
    this.checks = checks;
  }

  /**
   * Registers the gauges.
   *
   * @param dataDir the directory whose file system's space is shown; null for none (PostgreSQL)
   */
  static void register(MeterRegistry registry, HealthChecks checks, Path dataDir) {
    var meters = new HealthMeters(checks);
    for (String name : checks.names()) {
      Gauge.builder("vigil.health.status", meters, m -> m.status(name))
          .description("Status of a health check: 0 healthy, 1 degraded, 2 unhealthy")
          .tag("check", name)
          .strongReference(true)
          .register(registry);
    }
    if (dataDir != null) {
      Path dir = dataDir.toAbsolutePath();
      space(registry, "vigil.data.dir.free", "Usable bytes on the file system of the data directory", dir, FileStore::getUsableSpace);
      space(registry, "vigil.data.dir.total", "Size in bytes of the file system of the data directory", dir, FileStore::getTotalSpace);
    }
  }

  private synchronized double status(String name) {
    long now = System.nanoTime();
    if (last == null || now - lastNanos >= REUSE.toNanos()) {
      last = checks.report();
      lastNanos = now;
    }
    CheckResult r = last.checks().get(name);
    return r == null ? Double.NaN : code(r.status());
  }

  /** 0 healthy, 1 degraded, 2 unhealthy. */
  static int code(HealthStatus s) {
    return switch (s) {
      case HEALTHY -> 0;
      case DEGRADED -> 1;
      case UNHEALTHY -> 2;
    };
  }

  private static void space(
      MeterRegistry registry, String name, String description, Path dir, IoToLong<FileStore> read) {
    Gauge.builder(name, dir, d -> bytes(d, read))
        .description(description)
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /** The value read from the file store of {@code dir} (or of its nearest existing parent); NaN if unreadable. */
  private static double bytes(Path dir, IoToLong<FileStore> read) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Double.NaN;
    }
    try {
      return read.apply(Files.getFileStore(existing));
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** Reads a number that may throw {@link IOException}. */
  @FunctionalInterface
  private interface IoToLong<T> {
    long apply(T t) throws IOException;
  }
}
