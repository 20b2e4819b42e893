package dev.vigil.observe.health;

import dev.vigil.Vigil;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * The standard health checks of a Vigil node: {@code store} (a timed round trip), {@code disk}
 * (free space where the data lives, when there is a data directory), {@code memory}, {@code cpu}
 * (information only unless {@link HealthSettings#cpuWarnLoad()} is set),
 * {@code dispatcher} (a stalled loop is unhealthy), {@code backlog} (lanes against their capacity),
 * then the configured dependency probes by name.
 *
 * <pre>{@code
 * HealthChecks health = VigilHealth.checks(vigil, HealthSettings.DEFAULTS, dataDir, InstantSource.system()).build();
 * }</pre>
 */
public final class VigilHealth {
  private VigilHealth() {}

  /**
   * A builder holding the standard checks, to add or replace checks before building.
   *
   * @param dataDir where the data lives, for the disk check; null for none (a remote store)
   * @param clock the engine's clock, which stamps the dispatcher's heartbeat
   */
  public static HealthChecks.Builder checks(Vigil vigil, HealthSettings s, Path dataDir, InstantSource clock) {
    HealthChecks.Builder b =
        HealthChecks.builder()
            .timeout(s.checkTimeout())
            .cacheFor(s.cacheFor())
            .add("store", Checks.store(() -> vigil.store().lanePauses(), s.storeWarnAbove()));
    if (dataDir != null) {
      b.add("disk", Checks.diskSpace(dataDir, s.diskMinFreeBytes(), s.diskWarnFreeBytes()));
    }
    b.add("memory", Checks.memory(s.memoryWarnUsedRatio(), s.memoryMaxUsedRatio()))
        .add("cpu", s.cpuWarnLoad().isPresent() ? Checks.cpu(s.cpuWarnLoad().getAsDouble()) : Checks.cpu())
        .add("dispatcher", Checks.dispatcher(vigil, clock, s.dispatcherWarnAfter(), s.dispatcherStallAfter()))
        .add("backlog", Checks.backlog(vigil::lanes, s.backlogDegradedRatio(), s.backlogUnhealthyRatio()));
    for (ProbeSpec p : s.probes()) {
      b.add(p.name(), p.check(), p.timeout().plus(s.checkTimeout()));
    }
    return b;
  }
}
