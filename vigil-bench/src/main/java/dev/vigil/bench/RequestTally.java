package dev.vigil.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * The answers to the overload scenario's enqueue requests, by lane and outcome: accepted ({@code
 * 201}), refused with {@code 429 lane-full}, {@code 429 rate-limited} or {@code 503 overloaded}
 * (the problem type decides, not the status alone), or anything else (another status, a problem
 * type that does not belong to its status, no answer at all), which is an error. A refusal without
 * a {@code Retry-After} of whole seconds is counted apart. Latency runs from when each request was
 * due to its answer, for accepted and refused requests separately. Thread-safe.
 */
final class RequestTally {
  /** How a request ended. */
  enum Outcome {
    ACCEPTED("accepted"),
    LANE_FULL("lane_full"),
    RATE_LIMITED("rate_limited"),
    OVERLOADED("overloaded"),
    OTHER("other_errors");

    final String key;

    Outcome(String key) {
      this.key = key;
    }

    boolean refused() {
      return this == LANE_FULL || this == RATE_LIMITED || this == OVERLOADED;
    }
  }

  private final Map<String, EnumMap<Outcome, LongAdder>> byLane = new LinkedHashMap<>();
  private final Map<String, LongAdder> otherByCause = new ConcurrentHashMap<>();
  private final LongAdder withoutRetryAfter = new LongAdder();
  private final Map<Outcome, Histogram> retryAfter = new EnumMap<>(Outcome.class);
  private final Histogram accepted = new SynchronizedHistogram(Figures.latencyHistogram());
  private final Histogram refused = new SynchronizedHistogram(Figures.latencyHistogram());
  private final Map<Long, Histogram> bySecond = new ConcurrentHashMap<>();
  private volatile long origin;

  RequestTally(Iterable<String> lanes) {
    for (Outcome o : Outcome.values()) {
      if (o.refused()) {
        retryAfter.put(o, new SynchronizedHistogram(86_400, 3));
      }
    }
    for (String lane : lanes) {
      var counts = new EnumMap<Outcome, LongAdder>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        counts.put(o, new LongAdder());
      }
      byLane.put(lane, counts);
    }
  }

  /** Where the per-second series start: the first arrival's due time ({@link System#nanoTime()}). */
  void origin(long nanos) {
    origin = nanos;
  }

  /** The outcome of an answer: by status, and for 429 and 503 by problem type. */
  static Outcome classify(int status, String body) {
    return switch (status) {
      case 201 -> Outcome.ACCEPTED;
      case 429 ->
          body.contains("/problems/lane-full\"")
              ? Outcome.LANE_FULL
              : body.contains("/problems/rate-limited\"") ? Outcome.RATE_LIMITED : Outcome.OTHER;
      case 503 -> body.contains("/problems/overloaded\"") ? Outcome.OVERLOADED : Outcome.OTHER;
      default -> Outcome.OTHER;
    };
  }

  /** Records an answer to a request for {@code lane} that was due at {@code dueNanos}. */
  Outcome answered(String lane, HttpResponse<String> res, long dueNanos) {
    long latency = System.nanoTime() - dueNanos;
    Outcome o = classify(res.statusCode(), res.body());
    byLane.get(lane).get(o).increment();
    Figures.recordNanos(
        bySecond.computeIfAbsent(
            (dueNanos - origin) / 1_000_000_000L,
            k -> new SynchronizedHistogram(Figures.latencyHistogram())),
        latency);
    if (o == Outcome.ACCEPTED) {
      Figures.recordNanos(accepted, latency);
    } else if (o.refused()) {
      Figures.recordNanos(refused, latency);
      Optional<Long> seconds = retryAfterSeconds(res);
      if (seconds.isPresent()) {
        retryAfter.get(o).recordValue(Math.min(seconds.get(), 86_400));
      } else {
        withoutRetryAfter.increment();
      }
    } else {
      otherByCause.computeIfAbsent("HTTP " + res.statusCode(), k -> new LongAdder()).increment();
    }
    return o;
  }

  /** Records a request for {@code lane} that got no answer ({@code cause}: the exception). */
  void failed(String lane, Exception cause) {
    byLane.get(lane).get(Outcome.OTHER).increment();
    otherByCause.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
  }

  /** {@code Retry-After} as whole seconds (at least 1), if the answer carries one. */
  static Optional<Long> retryAfterSeconds(HttpResponse<?> res) {
    return res.headers()
        .firstValue("Retry-After")
        .filter(v -> v.matches("\\d{1,9}"))
        .map(Long::parseLong)
        .filter(v -> v >= 1);
  }

  long count(Outcome o) {
    return byLane.values().stream().mapToLong(m -> m.get(o).sum()).sum();
  }

  /** Requests refused with 429 or 503, every lane and reason together. */
  long refused() {
    long n = 0;
    for (Outcome o : Outcome.values()) {
      if (o.refused()) {
        n += count(o);
      }
    }
    return n;
  }

  long count(String lane, Outcome o) {
    return byLane.get(lane).get(o).sum();
  }

  long requests(String lane) {
    return byLane.get(lane).values().stream().mapToLong(LongAdder::sum).sum();
  }

  long requests() {
    return byLane.keySet().stream().mapToLong(this::requests).sum();
  }

  long refusedWithoutRetryAfter() {
    return withoutRetryAfter.sum();
  }

  /** Latency of the accepted requests, from when each was due: p50 … max, samples. */
  Map<String, Object> acceptedLatency() {
    return Figures.latenciesWithP95(accepted);
  }

  /** Latency of the refused requests (429 and 503), from when each was due. */
  Map<String, Object> refusedLatency() {
    return Figures.latencies(refused);
  }

  /**
   * The p99 of every answered request (accepted or refused) by the second it was due in, from the
   * {@link #origin}: where in the run the latency was.
   */
  List<Double> p99PerSecond() {
    var out = new ArrayList<Double>();
    new TreeMap<>(bySecond).values().forEach(h -> out.add(Figures.ms(h.getValueAtPercentile(99))));
    return out;
  }

  /** Each lane's requests by outcome: {@code {"requests","accepted","lane_full",…}}. */
  Map<String, Object> laneCounts(String lane) {
    var m = new LinkedHashMap<String, Object>();
    m.put("requests", requests(lane));
    for (Outcome o : Outcome.values()) {
      m.put(o.key, count(lane, o));
    }
    return m;
  }

  /**
   * The {@code Retry-After} the refusals carried, in seconds, by reason: {@code {"lane_full":
   * {"min","p50","max"}, …}}, for the reasons that occurred.
   */
  Map<String, Object> retryAfterSeconds() {
    var m = new LinkedHashMap<String, Object>();
    retryAfter.forEach(
        (o, h) -> {
          if (h.getTotalCount() > 0) {
            var r = new LinkedHashMap<String, Object>();
            r.put("min", h.getMinValue());
            r.put("p50", h.getValueAtPercentile(50));
            r.put("max", h.getMaxValue());
            m.put(o.key, r);
          }
        });
    return m;
  }

  /** The errors by cause ({@code HTTP 500}, {@code HttpTimeoutException}); empty when none. */
  Map<String, Long> otherErrorsByCause() {
    var m = new TreeMap<String, Long>();
    otherByCause.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
