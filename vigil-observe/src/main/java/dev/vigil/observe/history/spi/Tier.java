package dev.vigil.observe.history.spi;

import java.time.Duration;

/**
 * The resolutions history is kept at. Raw samples are the sampler's own (every {@code
 * history.interval}); the roll-ups hold one point per minute and per hour. Each tier's points are
 * stored in chunks that never span more than the tier's {@link #chunkPeriod()}: chunk periods
 * are aligned to the epoch and hold the points stamped in {@code (period start, period end]}.
 */
public enum Tier {
  /** The sampler's points, at {@code history.interval}; chunks of 10 minutes. */
  RAW(0, null, Duration.ofMinutes(10)),
  /** One point per minute, rolled up from raw samples; chunks of one hour. */
  MINUTE(1, Duration.ofMinutes(1), Duration.ofHours(1)),
  /** One point per hour, rolled up from the minutes; chunks of one day. */
  HOUR(2, Duration.ofHours(1), Duration.ofDays(1));

  private final int code;
  private final Duration resolution;
  private final Duration chunkPeriod;

  Tier(int code, Duration resolution, Duration chunkPeriod) {
    this.code = code;
    this.resolution = resolution;
    this.chunkPeriod = chunkPeriod;
  }

  /** The number a store keeps for this tier: 0, 1 or 2. */
  public int code() {
    return code;
  }

  /** The tier stored as {@code code}. */
  public static Tier of(int code) {
    for (Tier t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown tier " + code);
  }

  /** The tier's fixed resolution; null for {@link #RAW}, whose resolution is the sampling interval. */
  public Duration resolution() {
    return resolution;
  }

  /** The longest time one chunk of this tier spans; chunks are aligned to multiples of it. */
  public Duration chunkPeriod() {
    return chunkPeriod;
  }
}
