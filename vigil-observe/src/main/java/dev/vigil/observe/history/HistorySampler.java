package dev.vigil.observe.history;

import dev.vigil.observe.duty.PeriodicDuty;
import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots a meter registry into the history store every {@code interval}: each meter becomes a
 * series of this node (counters keep their cumulative value, gauges their value, histograms their
 * count, sum and cumulative bucket counts), and each snapshot is written in one transaction.
 *
 * <pre>{@code
 * HistorySampler sampler = HistorySampler.builder(registry, store).node("web-1").build();
 * sampler.sampleNow();
 * }</pre>
 *
 * <p><b>Design note.</b> A snapshot's time is the clock's time rounded down to a multiple of the
 * interval, so every node samples on the same grid and roll-up buckets hold whole samples. For
 * each series the sampler keeps the chunk it is filling ({@link Tier#RAW}, 10 minutes) and
 * appends one point per snapshot, unchanged values included (they cost a byte or two, and tell a
 * live series from a stopped one); each snapshot then writes every series' chunk, replacing the
 * stored one with the same start. A counter or histogram that appears between two snapshots gets
 * a zero at the earlier one (it did not exist then, so it had counted nothing), so that its first
 * increments count in rates; one already there at the first snapshot is measured from that
 * snapshot on, as Prometheus measures a counter from its first scrape. A write that fails is not
 * retried: the sampler forgets its series, and the next snapshot registers them again (one may
 * have been purged between its registration and its first write) and starts new chunks beside the
 * stored ones; the failed snapshot's point is lost. After a restart, too, the first point starts
 * new chunks.
 *
 * <p>Bounded: the series are the meters', whose labels are already capped (job types beyond the
 * first 200 are {@code other}); on top of that, at most {@code maxSeries} series are sampled and
 * later meters are skipped (logged once). Series whose meter is gone are forgotten.
 *
 * <p>Not thread-safe on its own: one {@link dev.vigil.observe.duty.DutyRunner} (or one test)
 * drives it.
 */
public final class HistorySampler implements PeriodicDuty {
  private static final Logger log = LoggerFactory.getLogger(HistorySampler.class);

  private final MeterRegistry registry;
  private final HistoryStore store;
  private final String node;
  private final Duration interval;
  private final InstantSource clock;
  private final int maxSeries;
  private final Map<SeriesKey, Series> series = new HashMap<>();
  private long lastSample = Long.MIN_VALUE;
  /** The meters read at the last snapshot; null before the first. */
  private Set<SeriesKey> readBefore;
  private boolean warnedFull;

  private HistorySampler(Builder b) {
    this.registry = b.registry;
    this.store = b.store;
    this.node = b.node;
    this.interval = b.interval;
    this.clock = b.clock;
    this.maxSeries = b.maxSeries;
  }

  /** A sampler of {@code registry} into {@code store}. */
  public static Builder builder(MeterRegistry registry, HistoryStore store) {
    return new Builder(registry, store);
  }

  @Override
  public String name() {
    return "history-sampler";
  }

  @Override
  public Duration period() {
    return interval;
  }

  @Override
  public void run(Instant now) {
    sample(now);
  }

  /** Takes a snapshot at the clock's time now; see {@link #sample}. */
  public int sampleNow() {
    return sample(clock.instant());
  }

  /**
   * Takes a last snapshot before this node stops, even when one was already taken in the current
   * interval (it is then stamped with the next), so that what changed at shutdown (its {@code
   * vigil_node_up} going to 0) is kept.
   *
   * @return how many series it wrote a point to
   */
  public synchronized int sampleFinal() {
    long step = interval.toMillis();
    long t = Math.floorDiv(clock.instant().toEpochMilli(), step) * step;
    return record(Math.max(t, lastSample == Long.MIN_VALUE ? t : lastSample + step), readMeters());
  }

  /**
   * Takes a snapshot stamped with {@code now} rounded down to the interval, unless one was already
   * taken at that time or later.
   *
   * @return how many series it wrote a point to
   */
  public synchronized int sample(Instant now) {
    long step = interval.toMillis();
    long t = Math.floorDiv(now.toEpochMilli(), step) * step;
    if (t <= lastSample) {
      return 0;
    }
    return record(t, readMeters());
  }

  private Map<SeriesKey, double[]> readMeters() {
    Map<SeriesKey, double[]> readings = new LinkedHashMap<>();
    for (Meter m : registry.getMeters()) {
      MeterReadings.read(m, node, r -> readings.putIfAbsent(r.key(), r.values()));
    }
    return readings;
  }

  /**
   * Writes one snapshot stamped {@code t} (a multiple of the interval, later than the last): a
   * point for each series read, in one transaction. The contract kit feeds stores through here.
   *
   * @return how many series it wrote a point to
   */
  synchronized int record(long t, Map<SeriesKey, double[]> readings) {
    long previous = lastSample;
    lastSample = Math.max(lastSample, t);
    Set<SeriesKey> before = readBefore;
    readBefore = new HashSet<>(readings.keySet());
    series.keySet().retainAll(readings.keySet());
    register(readings.keySet());
    List<Chunk> chunks = new ArrayList<>();
    List<Series> written = new ArrayList<>();
    readings.forEach((key, values) -> {
      Series s = series.get(key);
      if (s == null) {
        return;
      }
      double[] v = values.length == s.width ? values : java.util.Arrays.copyOf(values, s.width);
      if (key.kind() == MetricKind.HISTOGRAM) {
        v = Samples.storedHistogram(v);
      } else if (key.kind() == MetricKind.GAUGE) {
        v = new double[] {Samples.gaugeValue(v[0])};
      }
      if (before != null && !before.contains(key) && previous != Long.MIN_VALUE && key.kind() != MetricKind.GAUGE) {
        // The meter appeared since the last snapshot, so it counted nothing then: a zero there
        // lets its first increments count, as a counter created at zero should.
        append(s, previous, new double[s.width], chunks);
      }
      append(s, t, v, chunks);
      written.add(s);
    });
    written.forEach(s -> chunks.add(s.chunk()));
    if (!chunks.isEmpty()) {
      try {
        store.write(chunks);
      } catch (RuntimeException e) {
        // Register again and start new chunks next time: the failure may have been a series
        // purged between its registration and this write.
        series.clear();
        throw e;
      }
    }
    written.forEach(s -> s.unwritten = false);
    return written.size();
  }

  /** Appends a point to the series' chunk, first closing the chunk (into {@code closed}) when the point starts a new period. */
  private static void append(Series s, long t, double[] v, List<Chunk> closed) {
    long end = Samples.periodEnd(t, Tier.RAW.chunkPeriod().toMillis());
    if (s.encoder == null || s.periodEnd != end) {
      if (s.encoder != null && s.unwritten) {
        closed.add(s.chunk());
      }
      s.encoder = new ChunkCodec.Encoder(t, v.length);
      s.periodEnd = end;
    }
    s.encoder.append(new Sample(t, v));
    s.unwritten = true;
  }

  /** How many series this node samples now. */
  public synchronized int seriesCount() {
    return series.size();
  }

  private void register(Set<SeriesKey> seen) {
    List<SeriesKey> fresh = new ArrayList<>();
    Set<SeriesKey> admitted = new HashSet<>();
    for (SeriesKey k : seen) {
      if (!series.containsKey(k)) {
        if (series.size() + fresh.size() >= maxSeries) {
          if (!warnedFull) {
            warnedFull = true;
            log.warn("metric history samples at most {} series (history.max_series); later meters are not kept", maxSeries);
          }
          continue;
        }
        if (admitted.add(k)) {
          fresh.add(k);
        }
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    List<StoredSeries> stored = store.register(fresh);
    for (int i = 0; i < fresh.size(); i++) {
      SeriesKey asked = fresh.get(i);
      StoredSeries s = stored.get(i);
      series.put(asked, new Series(s.id(), width(s.key())));
    }
  }

  /** Values per raw point: one for counters and gauges, count, sum and the stored bounds for histograms. */
  private static int width(SeriesKey key) {
    return key.kind() == MetricKind.HISTOGRAM ? Sample.BUCKETS + key.bounds().size() : 1;
  }

  private static final class Series {
    final long id;
    final int width;
    ChunkCodec.Encoder encoder;
    long periodEnd;
    boolean unwritten;

    Series(long id, int width) {
      this.id = id;
      this.width = width;
    }

    /** The chunk being filled, as it is now. */
    Chunk chunk() {
      return new Chunk(
          id, Tier.RAW, Instant.ofEpochMilli(encoder.start()), Instant.ofEpochMilli(encoder.last()), encoder.points(),
          encoder.packed());
    }
  }

  /** Builds a {@link HistorySampler}. */
  public static final class Builder {
    private final MeterRegistry registry;
    private final HistoryStore store;
    private String node = "local";
    private Duration interval = HistorySettings.DEFAULTS.interval();
    private InstantSource clock = InstantSource.system();
    private int maxSeries = HistorySettings.DEFAULTS.maxSeries();

    private Builder(MeterRegistry registry, HistoryStore store) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** This node's id, the {@code node} label of every series it writes; default {@code local}. */
    public Builder node(String v) { node = Objects.requireNonNull(v, "node"); return this; }

    /** How often to sample; default 10 s. */
    public Builder interval(Duration v) {
      if (v.toMillis() < 1) {
        throw new IllegalArgumentException("interval must be at least 1 ms");
      }
      interval = v;
      return this;
    }

    /** The interval and series cap of {@code settings}. */
    public Builder settings(HistorySettings s) {
      interval = s.interval();
      maxSeries = s.maxSeries();
      return this;
    }

    /** The clock {@link #sampleNow()} reads; default the system's. */
    public Builder clock(InstantSource v) { clock = Objects.requireNonNull(v, "clock"); return this; }

    /** The most series sampled; default 10,000. */
    public Builder maxSeries(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxSeries must be at least 1");
      }
      maxSeries = v;
      return this;
    }

    public HistorySampler build() {
      return new HistorySampler(this);
    }
  }
}
