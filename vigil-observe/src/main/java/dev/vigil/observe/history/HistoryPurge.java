package dev.vigil.observe.history;

import dev.vigil.observe.duty.PeriodicDuty;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Deletes history past its retention: raw samples after {@code history.retention.raw}, minutes
 * after {@code .minute}, hours after {@code .hour}. A chunk goes once its last point is that old,
 * so a tier keeps up to one chunk period more than its retention. Samples not yet rolled up into
 * the next tier are kept whatever their age, so a roll-up that fell behind loses nothing. Then the
 * series left without any chunk go too (those of nodes gone for longer than every retention: a
 * default node id changes at every restart). Leader-only; runs every 10 minutes.
 */
public final class HistoryPurge implements PeriodicDuty {
  private final HistoryStore store;
  private final HistorySettings settings;

  public HistoryPurge(HistoryStore store, HistorySettings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public String name() {
    return "history-purge";
  }

  @Override
  public Duration period() {
    return Duration.ofMinutes(10);
  }

  @Override
  public boolean leaderOnly() {
    return true;
  }

  @Override
  public void run(Instant now) {
    purge(Tier.RAW, now, store.rolledUntil(Tier.MINUTE).orElse(Instant.EPOCH));
    purge(Tier.MINUTE, now, store.rolledUntil(Tier.HOUR).orElse(Instant.EPOCH));
    purge(Tier.HOUR, now, Instant.MAX);
    store.purgeEmptySeries();
  }

  private void purge(Tier tier, Instant now, Instant rolled) {
    Instant cutoff = now.minus(settings.retention(tier));
    if (rolled.isBefore(cutoff)) {
      cutoff = rolled;
    }
    store.purge(tier, cutoff);
  }
}
