package dev.vigil.observe.history;

import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * Queries metric history: rates and increases of counters, averages, extremes and last values of
 * gauges, quantiles and means of histograms, over any window and step, summed over the labels not
 * kept. The HTTP API ({@code GET /api/v1/metrics/query}) and the alert engine both ask here.
 *
 * <pre>{@code
 * HistoryResult r = history.query(HistoryQuery.builder("vigil_job_latency_seconds")
 *     .fn(HistoryFunction.P99).by("lane").from(now.minus(Duration.ofHours(24))).to(now)
 *     .step(Duration.ofMinutes(5)).build());
 * }</pre>
 *
 * <p><b>Design note.</b> Points are computed at {@code to}, {@code to - step}, ... back to {@code
 * from} (so the last point always holds the newest samples, and {@code from == to} asks for one
 * value, as an alert does); each from the samples stamped in its window {@code (t - w, t]}, where
 * {@code w} is the step (or the resolution read, when coarser). Aligned {@code from} and {@code to}
 * give aligned points. The samples come from the coarsest tier whose resolution
 * still serves the step (raw samples for a 30 s step, minutes for 5 min, hours for a day). A
 * roll-up tier is complete only up to its last roll-up, so the time after it is read from the next
 * finer tier, and time already purged from the chosen tier from the next coarser one: every point
 * of a window is served, at the finest resolution still kept where the chosen one is not. Series
 * are evaluated one by one (see {@link Windows} for resets), then summed per combination of the
 * kept labels; histograms are summed bucket by bucket before their quantile is taken, as {@code
 * histogram_quantile(q, sum by (le, ...) (rate(...)))} does.
 *
 * <p>Thread-safe; every call reads the store afresh.
 */
public final class MetricHistory {
  /** The most points one series of an answer may have. */
  public static final int MAX_POINTS = 11_000;

  /** The window of a query that gives no start. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  private static final int DEFAULT_POINTS = 240;
  private static final List<Duration> STEPS =
      List.of(1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400)
          .stream().map(s -> Duration.ofSeconds(s)).toList();
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,199}");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
  private static final String NODE = "node";

  private final HistoryStore store;
  private final HistorySettings settings;
  private final InstantSource clock;

  private MetricHistory(HistoryStore store, HistorySettings settings, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * History over {@code store}, sampled as {@code settings} say (the raw tier's resolution is its
   * interval), with {@code clock} for "now".
   */
  public static MetricHistory of(HistoryStore store, HistorySettings settings, InstantSource clock) {
    return new MetricHistory(store, settings, clock);
  }

  /** How often the registry is sampled: the finest step history answers at. */
  Duration interval() {
    return settings.interval();
  }

  /** Every metric history holds, by name, with its kind and the names of its labels. */
  public List<MetricDescriptor> names() {
    Map<String, MetricKind> kinds = new TreeMap<>();
    Map<String, TreeSet<String>> labels = new HashMap<>();
    for (StoredSeries s : store.series()) {
      kinds.putIfAbsent(s.key().name(), s.key().kind());
      TreeSet<String> l = labels.computeIfAbsent(s.key().name(), n -> new TreeSet<>());
      l.addAll(s.key().labels().keySet());
      l.add(NODE);
    }
    return kinds.entrySet().stream()
        .map(e -> new MetricDescriptor(e.getKey(), e.getValue(), List.copyOf(labels.get(e.getKey()))))
        .toList();
  }

  /** The kind of the metric named {@code name}, or empty when history holds no such metric. */
  public Optional<MetricKind> kind(String name) {
    return store.series(name).stream().map(s -> s.key().kind()).findFirst();
  }

  /**
   * Answers a query.
   *
   * @throws InvalidRequestException naming each bad part by its HTTP parameter ({@code name}, {@code
   *     fn}, {@code by}, {@code match[label]}, {@code from}, {@code to}, {@code step_ms}): an
   *     unknown metric, a function that does not apply to its kind, a window that ends before it
   *     starts, a step giving more than {@link #MAX_POINTS} points
   */
  public HistoryResult query(HistoryQuery q) {
    Instant now = clock.instant();
    var errors = new ArrayList<FieldError>();
    if (!NAME.matcher(q.name()).matches()) {
      errors.add(new FieldError("name", "must be a metric name such as vigil_jobs_succeeded_total"));
    }
    for (String label : q.by()) {
      if (!LABEL.matcher(label).matches()) {
        errors.add(new FieldError("by", "'" + shorten(label) + "' is not a label name"));
      }
    }
    for (String label : new TreeSet<>(q.match().keySet())) {
      if (!LABEL.matcher(label).matches()) {
        errors.add(new FieldError("match[" + shorten(label) + "]", "is not a label name"));
      }
    }
    Instant to = q.to().orElse(now);
    Instant from = q.from().orElse(to.minus(DEFAULT_WINDOW));
    if (from.isAfter(to)) {
      errors.add(new FieldError("from", "must not be after to"));
    }
    Duration step = q.step().orElseGet(() -> defaultStep(Duration.between(from, to)));
    if (step.toMillis() < 1_000) {
      errors.add(new FieldError("step_ms", "must be at least 1000"));
    } else if (!from.isAfter(to) && Duration.between(from, to).toMillis() / step.toMillis() >= MAX_POINTS) {
      errors.add(new FieldError("step_ms", "gives more than " + MAX_POINTS + " points over the window; use a longer step"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    List<StoredSeries> all = store.series(q.name());
    if (all.isEmpty()) {
      throw new InvalidRequestException("name", "history holds no metric named '" + q.name() + "'");
    }
    MetricKind kind = all.getFirst().key().kind();
    HistoryFunction fn = q.fn().orElse(HistoryFunction.defaultFor(kind));
    if (!HistoryFunction.of(kind).contains(fn)) {
      throw new InvalidRequestException(
          "fn", fn.wireName() + " does not apply to a " + kind.wireName() + "; use one of "
              + HistoryFunction.of(kind).stream().map(HistoryFunction::wireName).toList());
    }
    List<StoredSeries> matched =
        all.stream().filter(s -> s.key().kind() == kind && matches(labels(s), q.match())).toList();
    return evaluate(q, kind, fn, matched, from, to, step, now);
  }

  /** The coarsest tier whose resolution serves a step; raw for steps finer than a minute. */
  Tier tierFor(Duration step) {
    Tier chosen = Tier.RAW;
    for (Tier t : Tier.values()) {
      if (settings.resolution(t).compareTo(step) <= 0) {
        chosen = t;
      }
    }
    return chosen;
  }

  private HistoryResult evaluate(
      HistoryQuery q, MetricKind kind, HistoryFunction fn, List<StoredSeries> series, Instant from, Instant to,
      Duration step, Instant now) {
    long stepMs = step.toMillis();
    Tier tier = tierFor(step);
    long w = Math.max(stepMs, settings.resolution(tier).toMillis());
    long last = to.toEpochMilli();
    int steps = (int) ((last - from.toEpochMilli()) / stepMs) + 1;
    long first = last - (steps - 1L) * stepMs;
    Map<Long, List<Sample>> samples = gather(series, kind, tier, first - 2 * w, last, now);
    Map<SortedMap<String, String>, Group> groups = new TreeMap<>(Comparator.comparing(Object::toString));
    for (StoredSeries s : series) {
      List<Sample> own = samples.getOrDefault(s.id(), List.of());
      if (own.isEmpty()) {
        continue;
      }
      SortedMap<String, String> kept = new TreeMap<>();
      Map<String, String> all = labels(s);
      for (String label : q.by()) {
        if (all.containsKey(label)) {
          kept.put(label, all.get(label));
        }
      }
      groups.computeIfAbsent(kept, k -> new Group(steps)).add(s, own);
    }
    List<HistoryResult.Series> out = new ArrayList<>();
    groups.forEach((labels, g) -> {
      List<HistoryResult.Point> points = g.points(kind, fn, first, stepMs, w);
      if (!points.isEmpty()) {
        out.add(new HistoryResult.Series(labels, points));
      }
    });
    return new HistoryResult(q.name(), fn, step, from, to, out);
  }

  /** Each series' samples for {@code [from, to]}, stitched from the tiers as the class note says. */
  private Map<Long, List<Sample>> gather(
      List<StoredSeries> series, MetricKind kind, Tier tier, long from, long to, Instant now) {
    List<Long> ids = series.stream().map(StoredSeries::id).toList();
    Map<Long, List<Sample>> out = new HashMap<>();
    add(out, kind, tier, ids, from, to, t -> true);
    long cut = watermark(tier);
    for (int f = tier.code() - 1; f >= 0 && cut < to; f--) {
      long after = cut;
      add(out, kind, Tier.of(f), ids, Math.max(from, after + 1), to, t -> t > after);
      cut = Math.max(cut, watermark(Tier.of(f)));
    }
    long horizon = now.minus(settings.retention(tier)).toEpochMilli();
    for (int c = tier.code() + 1; c < Tier.values().length && from < horizon; c++) {
      Map<Long, Long> firstKept = new HashMap<>();
      out.forEach((id, s) -> firstKept.put(id, s.isEmpty() ? Long.MAX_VALUE : s.getFirst().t));
      Map<Long, List<Sample>> older = new HashMap<>();
      long kept = horizon;
      add(older, kind, Tier.of(c), ids, from, Math.min(to, kept), t -> true);
      older.forEach((id, s) -> {
        long before = Math.min(kept, firstKept.getOrDefault(id, Long.MAX_VALUE));
        out.computeIfAbsent(id, k -> new ArrayList<>()).addAll(s.stream().filter(x -> x.t < before).toList());
      });
      horizon = now.minus(settings.retention(Tier.of(c))).toEpochMilli();
    }
    out.values().forEach(s -> s.sort(Comparator.comparingLong(x -> x.t)));
    return out;
  }

  private void add(
      Map<Long, List<Sample>> out, MetricKind kind, Tier tier, List<Long> ids, long from, long to, LongPredicate keep) {
    if (from > to || ids.isEmpty()) {
      return;
    }
    Map<Long, List<Chunk>> bySeries = new LinkedHashMap<>();
    for (Chunk c : store.read(tier, ids, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
      bySeries.computeIfAbsent(c.seriesId(), k -> new ArrayList<>()).add(c);
    }
    bySeries.forEach((id, chunks) -> {
      List<Sample> kept = out.computeIfAbsent(id, k -> new ArrayList<>());
      for (Sample s : Samples.decode(kind, chunks)) {
        if (s.t >= from && s.t <= to && keep.test(s.t)) {
          kept.add(s);
        }
      }
    });
  }

  /** How far a tier holds every point: raw samples to the end of time, roll-ups to their last roll-up. */
  private long watermark(Tier tier) {
    if (tier == Tier.RAW) {
      return Long.MAX_VALUE;
    }
    return store.rolledUntil(tier).map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
  }

  private static Map<String, String> labels(StoredSeries s) {
    Map<String, String> all = new TreeMap<>(s.key().labels());
    all.put(NODE, s.key().node());
    return all;
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> match) {
    for (Map.Entry<String, String> m : match.entrySet()) {
      if (!m.getValue().equals(labels.get(m.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private Duration defaultStep(Duration window) {
    long wanted = Math.max(settings.interval().toMillis(), window.toMillis() / DEFAULT_POINTS);
    for (Duration s : STEPS) {
      if (s.toMillis() >= wanted) {
        return s;
      }
    }
    return Duration.ofDays(Math.ceilDiv(wanted, Duration.ofDays(1).toMillis()));
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** The series of one combination of kept labels, summed step by step. */
  private static final class Group {
    private final int steps;
    private final List<StoredSeries> series = new ArrayList<>();
    private final List<List<Sample>> samples = new ArrayList<>();

    Group(int steps) {
      this.steps = steps;
    }

    void add(StoredSeries s, List<Sample> own) {
      series.add(s);
      samples.add(own);
    }

    List<HistoryResult.Point> points(MetricKind kind, HistoryFunction fn, long first, long stepMs, long w) {
      double[] bounds = kind == MetricKind.HISTOGRAM ? unionBounds() : new double[0];
      List<HistoryResult.Point> out = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        long t = first + i * stepMs;
        double v = kind == MetricKind.HISTOGRAM ? histogram(fn, bounds, t, w) : scalar(kind, fn, t, w);
        if (Double.isFinite(v)) {
          out.add(new HistoryResult.Point(Instant.ofEpochMilli(t), v));
        }
      }
      return out;
    }

    private double scalar(MetricKind kind, HistoryFunction fn, long t, long w) {
      double sum = 0;
      boolean any = false;
      for (List<Sample> s : samples) {
        double v;
        if (kind == MetricKind.COUNTER) {
          Windows.Increase inc = Windows.increase(s, t, w);
          v = inc == null ? Double.NaN : fn == HistoryFunction.RATE ? inc.rate(0) : inc.over(0, w);
        } else {
          v = Windows.gauge(s, t, w, fn);
        }
        if (!Double.isNaN(v)) {
          sum += v;
          any = true;
        }
      }
      return any ? sum : Double.NaN;
    }

    private double histogram(HistoryFunction fn, double[] bounds, long t, long w) {
      double count = 0;
      double sum = 0;
      double observed = 0;
      double[] cumulative = new double[bounds.length];
      boolean any = false;
      for (int k = 0; k < samples.size(); k++) {
        Windows.Increase inc = Windows.increase(samples.get(k), t, w);
        if (inc == null) {
          continue;
        }
        any = true;
        double[] d = inc.delta();
        observed += fn == HistoryFunction.RATE ? inc.rate(Sample.COUNT) : inc.over(Sample.COUNT, w);
        count += d[Sample.COUNT];
        sum += d[Sample.SUM];
        List<Double> own = series.get(k).key().bounds();
        int j = -1;
        for (int b = 0; b < bounds.length; b++) {
          while (j + 1 < own.size() && own.get(j + 1) <= bounds[b] && Sample.BUCKETS + j + 1 < d.length) {
            j++;
          }
          cumulative[b] += j < 0 ? 0 : d[Sample.BUCKETS + j];
        }
      }
      if (!any) {
        return Double.NaN;
      }
      if (fn == HistoryFunction.AVG) {
        return count > 0 ? sum / count : Double.NaN;
      }
      if (fn == HistoryFunction.RATE || fn == HistoryFunction.INCREASE) {
        return observed;
      }
      return Quantiles.quantile(fn.quantile(), bounds, cumulative, count);
    }

    private double[] unionBounds() {
      TreeSet<Double> all = new TreeSet<>();
      series.forEach(s -> all.addAll(s.key().bounds()));
      return all.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
