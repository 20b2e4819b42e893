package dev.vigil.observe.history.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Consecutive points of one series in one tier, encoded. A store keeps the bytes as they are and
 * never reads inside them; the history engine encodes and decodes them. A chunk is identified by
 * its tier, series and start: writing a chunk with the same three replaces the stored one (the
 * sampler rewrites the chunk it is filling at every sample).
 *
 * @param seriesId the series' {@link StoredSeries#id()}
 * @param tier its resolution
 * @param start the time of its first point
 * @param end the time of its last point; the span never exceeds the tier's chunk period
 * @param points how many points it holds
 * @param data the encoded points
 */
public record Chunk(long seriesId, Tier tier, Instant start, Instant end, int points, byte[] data) {
  public Chunk {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(data, "data");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("a chunk ends before it starts");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c
        && c.seriesId == seriesId
        && c.tier == tier
        && c.start.equals(start)
        && c.end.equals(end)
        && c.points == points
        && java.util.Arrays.equals(c.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seriesId, tier, start, end, points, java.util.Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "Chunk[series=" + seriesId + ", tier=" + tier + ", start=" + start + ", end=" + end + ", points=" + points
        + ", bytes=" + data.length + "]";
  }
}
