package dev.vigil.observe.history;

import dev.vigil.observe.duty.PeriodicDuty;
import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rolls raw samples up into one point per minute, and minutes into one point per hour: counters
 * and histograms keep the last cumulative value of each minute (hour), gauges their mean (as the
 * sum and number of raw samples), minimum, maximum and last value. Leader-only; runs every minute.
 *
 * <p>A roll-up works a whole chunk period at a time (an hour of raw samples into the hour's minute
 * chunk; a day of minutes into the day's hour chunk), once that period is over: minutes when the
 * hour ended more than {@link #lag()} ago (so the last snapshots of every node are in), hours when
 * the day's minutes are rolled. Each period is written with the tier's new watermark in one
 * transaction, so a roll-up cut short resumes where it stopped, and rolling a period again (after
 * a change of leader) writes the same chunks. Periods without samples are skipped over.
 */
public final class HistoryRollup implements PeriodicDuty {
  /** At most this many periods per run, so that catching up after downtime comes in slices. */
  static final int MAX_PERIODS_PER_RUN = 48;

  private final HistoryStore store;
  private final HistorySettings settings;

  public HistoryRollup(HistoryStore store, HistorySettings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public String name() {
    return "history-rollup";
  }

  @Override
  public Duration period() {
    return Duration.ofMinutes(1);
  }

  @Override
  public boolean leaderOnly() {
    return true;
  }

  /** How long after an hour ends its raw samples are rolled up: two sampling intervals and 5 s. */
  public Duration lag() {
    return settings.interval().multipliedBy(2).plusSeconds(5);
  }

  @Override
  public void run(Instant now) {
    Map<Long, SeriesKey> keys = new HashMap<>();
    roll(Tier.MINUTE, Tier.RAW, now.minus(lag()), keys);
    store.rolledUntil(Tier.MINUTE).ifPresent(minutes -> roll(Tier.HOUR, Tier.MINUTE, minutes, keys));
  }

  private void roll(Tier target, Tier source, Instant limit, Map<Long, SeriesKey> keys) {
    long period = target.chunkPeriod().toMillis();
    long bucket = target.resolution().toMillis();
    Instant done = store.rolledUntil(target).orElse(Instant.EPOCH);
    for (int i = 0; i < MAX_PERIODS_PER_RUN; i++) {
      Optional<Instant> next = store.firstStartAfter(source, done);
      if (next.isEmpty()) {
        return;
      }
      Instant end = Instant.ofEpochMilli(Samples.periodEnd(next.get().toEpochMilli(), period));
      if (end.isAfter(limit)) {
        return;
      }
      Map<Long, List<Chunk>> bySeries = new LinkedHashMap<>();
      for (Chunk c : store.readStarting(source, end.minusMillis(period), end)) {
        bySeries.computeIfAbsent(c.seriesId(), k -> new ArrayList<>()).add(c);
      }
      List<Chunk> rolled = new ArrayList<>();
      bySeries.forEach((id, chunks) -> {
        SeriesKey key = key(id, keys);
        if (key == null) {
          return;
        }
        List<Sample> samples = Samples.decode(key.kind(), chunks);
        if (!samples.isEmpty()) {
          rolled.add(Samples.chunk(id, key.kind(), target, Samples.rollup(key.kind(), samples, bucket)));
        }
      });
      store.writeRollup(target, rolled, end);
      done = end;
    }
  }

  private SeriesKey key(long id, Map<Long, SeriesKey> keys) {
    if (!keys.containsKey(id)) {
      for (StoredSeries s : store.series()) {
        keys.put(s.id(), s.key());
      }
    }
    return keys.get(id);
  }
}
