package dev.vigil.observe.health;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The thresholds of the standard checks and the user's dependency probes. {@link #DEFAULTS}
 * suits most nodes; every value is a {@code health.*} key of the server's configuration.
 *
 * @param checkTimeout how long a check may take before it is unhealthy
 * @param cacheFor how long a health report is reused
 * @param diskMinFreeBytes unhealthy below this much free space where the data lives
 * @param diskWarnFreeBytes degraded below this much
 * @param memoryWarnUsedRatio degraded above this share of the maximum heap in use
 * @param memoryMaxUsedRatio unhealthy above this share
 * @param cpuWarnLoad degraded above this share of the machine's CPU used by the process; empty
 *     (the default): the CPU load is reported as information and never degrades the node, since
 *     a job engine at full speed is supposed to use its CPU
 * @param backlogDegradedRatio degraded when a lane's backlog reaches this share of its capacity
 * @param backlogUnhealthyRatio unhealthy when it reaches this share
 * @param dispatcherWarnAfter degraded when the dispatcher loop has not turned for this long
 * @param dispatcherStallAfter unhealthy (stalled) after this long
 * @param storeWarnAbove degraded when a store round trip takes longer
 * @param probes the user's dependency probes; their names must differ from each other and from
 *     the standard checks' names ({@link #STANDARD_CHECKS})
 */
public record HealthSettings(
    Duration checkTimeout,
    Duration cacheFor,
    long diskMinFreeBytes,
    long diskWarnFreeBytes,
    double memoryWarnUsedRatio,
    double memoryMaxUsedRatio,
    OptionalDouble cpuWarnLoad,
    double backlogDegradedRatio,
    double backlogUnhealthyRatio,
    Duration dispatcherWarnAfter,
    Duration dispatcherStallAfter,
    Duration storeWarnAbove,
    List<ProbeSpec> probes) {

  /** The names of the standard checks, which probes may not take. */
  public static final Set<String> STANDARD_CHECKS = Set.of("store", "disk", "memory", "cpu", "dispatcher", "backlog");

  public static final HealthSettings DEFAULTS =
      new HealthSettings(
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          100L << 20,
          1L << 30,
          0.85,
          0.95,
          OptionalDouble.empty(),
          0.80,
          1.00,
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMillis(500),
          List.of());

  /** @throws IllegalArgumentException naming the first bad value by its key, e.g. {@code disk_warn_free_bytes: ...} */
  public HealthSettings {
    probes = List.copyOf(Objects.requireNonNull(probes, "probes"));
    positive(checkTimeout, "check_timeout_ms");
    check(cacheFor != null && !cacheFor.isNegative(), "cache_ms", "must not be negative");
    check(diskMinFreeBytes >= 0, "disk_min_free_bytes", "must not be negative");
    check(diskWarnFreeBytes >= diskMinFreeBytes, "disk_warn_free_bytes", "must be at least disk_min_free_bytes");
    ratio(memoryWarnUsedRatio, "memory_warn_used_ratio");
    ratio(memoryMaxUsedRatio, "memory_max_used_ratio");
    check(memoryWarnUsedRatio <= memoryMaxUsedRatio, "memory_warn_used_ratio", "must not exceed memory_max_used_ratio");
    Objects.requireNonNull(cpuWarnLoad, "cpuWarnLoad");
    cpuWarnLoad.ifPresent(v -> ratio(v, "cpu_warn_load"));
    check(backlogDegradedRatio > 0, "backlog_degraded_ratio", "must be positive");
    check(backlogUnhealthyRatio >= backlogDegradedRatio, "backlog_unhealthy_ratio", "must be at least backlog_degraded_ratio");
    positive(dispatcherWarnAfter, "dispatcher_warn_ms");
    positive(dispatcherStallAfter, "dispatcher_stall_ms");
    check(dispatcherStallAfter.compareTo(dispatcherWarnAfter) >= 0, "dispatcher_stall_ms", "must be at least dispatcher_warn_ms");
    positive(storeWarnAbove, "store_warn_ms");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < probes.size(); i++) {
      String name = probes.get(i).name();
      check(!STANDARD_CHECKS.contains(name), "probes[" + i + "].name", "'" + name + "' is the name of a standard check");
      check(names.add(name), "probes[" + i + "].name", "duplicate probe '" + name + "'");
    }
  }

  public HealthSettings withProbes(List<ProbeSpec> v) {
    return new HealthSettings(
        checkTimeout, cacheFor, diskMinFreeBytes, diskWarnFreeBytes, memoryWarnUsedRatio, memoryMaxUsedRatio,
        cpuWarnLoad, backlogDegradedRatio, backlogUnhealthyRatio, dispatcherWarnAfter, dispatcherStallAfter,
        storeWarnAbove, v);
  }

  /** These settings with the CPU judged against {@code v} (empty: information only). */
  public HealthSettings withCpuWarnLoad(OptionalDouble v) {
    return new HealthSettings(
        checkTimeout, cacheFor, diskMinFreeBytes, diskWarnFreeBytes, memoryWarnUsedRatio, memoryMaxUsedRatio,
        v, backlogDegradedRatio, backlogUnhealthyRatio, dispatcherWarnAfter, dispatcherStallAfter,
        storeWarnAbove, probes);
  }

  private static void positive(Duration d, String key) {
    check(d != null && !d.isZero() && !d.isNegative(), key, "must be positive");
  }

  private static void ratio(double v, String key) {
    check(v > 0 && v <= 1, key, "must be above 0 and at most 1");
  }

  private static void check(boolean ok, String key, String reason) {
    if (!ok) {
      throw new IllegalArgumentException(key + ": " + reason);
    }
  }
}
