package dev.vigil.observe.history;

import dev.vigil.observe.history.spi.Tier;
import java.time.Duration;

/**
 * How metric history is sampled and how long each resolution is kept; every value is a {@code
 * history.*} key of the server's configuration ({@code docs/history.md}).
 *
 * @param enabled whether the registry is sampled into the store at all
 * @param interval how often the registry is sampled: the resolution of the raw tier (1 s to 1 min)
 * @param rawRetention how long raw samples are kept (default 48 h)
 * @param minuteRetention how long the one-minute roll-up is kept (default 30 days)
 * @param hourRetention how long the one-hour roll-up is kept (default 400 days)
 * @param maxSeries the most series one node samples; meters beyond it are not recorded (a safety
 *     net under the label caps of the meters themselves)
 */
public record HistorySettings(
    boolean enabled,
    Duration interval,
    Duration rawRetention,
    Duration minuteRetention,
    Duration hourRetention,
    int maxSeries) {

  private static final Duration LONGEST = Duration.ofDays(3_660);

  /** On, every 10 s, raw kept 48 h, minutes 30 days, hours 400 days, at most 10,000 series. */
  public static final HistorySettings DEFAULTS =
      new HistorySettings(
          true, Duration.ofSeconds(10), Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(400), 10_000);

  /** @throws IllegalArgumentException naming the first bad value by its key, e.g. {@code interval: ...} */
  public HistorySettings {
    between(interval, Duration.ofSeconds(1), Duration.ofMinutes(1), "interval");
    between(rawRetention, Duration.ofHours(2), LONGEST, "retention.raw");
    between(minuteRetention, Duration.ofDays(2), LONGEST, "retention.minute");
    between(hourRetention, Duration.ofDays(2), LONGEST, "retention.hour");
    if (maxSeries < 1 || maxSeries > 1_000_000) {
      throw new IllegalArgumentException("max_series: must be between 1 and 1000000 (got " + maxSeries + ")");
    }
  }

  /** How long samples of {@code tier} are kept. */
  public Duration retention(Tier tier) {
    return switch (tier) {
      case RAW -> rawRetention;
      case MINUTE -> minuteRetention;
      case HOUR -> hourRetention;
    };
  }

  /** The resolution of {@code tier}: the sampling interval for raw samples, else the tier's own. */
  public Duration resolution(Tier tier) {
    return tier == Tier.RAW ? interval : tier.resolution();
  }

  /** The same settings with another sampling interval. */
  public HistorySettings withInterval(Duration interval) {
    return new HistorySettings(enabled, interval, rawRetention, minuteRetention, hourRetention, maxSeries);
  }

  private static void between(Duration d, Duration min, Duration max, String key) {
    if (d == null) {
      throw new IllegalArgumentException(key + ": is required");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key + ": must be between " + Durations.format(min) + " and " + Durations.format(max) + " (got "
              + Durations.format(d) + ")");
    }
  }
}
