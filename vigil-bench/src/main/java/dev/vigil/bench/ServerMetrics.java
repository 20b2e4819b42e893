package dev.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server's own meters say about a run, read from its {@code /metrics} as a scraper
 * would:
 *
 * <ul>
 *   <li>{@code vigil_jobs_rejected_total{lane,type,reason}} summed by lane and reason ({@code
 *       lane_full}, {@code shed}, {@code overloaded}): it tells the two kinds of {@code 503}
 *       apart, which a client cannot (both are {@code …/overloaded});
 *   <li>{@code vigil_store_operation_seconds{operation}} for the calls every accepted job waits
 *       on ({@code enqueue}, {@code claim}, {@code finish_all}): how many there were, how many
 *       took 100 ms or more (from the histogram's buckets), and the slowest of the last two
 *       minutes (the meter's decaying maximum): where a stall of the write path shows.
 * </ul>
 */
final class ServerMetrics {
  private static final Pattern SAMPLE =
      Pattern.compile("^(vigil_\\w+)\\{([^}]*)\\}\\s+(\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final List<String> STORE_OPERATIONS = List.of("enqueue", "claim", "finish_all");

  private final String exposition;

  private ServerMetrics(String exposition) {
    this.exposition = exposition;
  }

  /** Reads the server's {@code /metrics} now. */
  static ServerMetrics read(URI base) throws IOException, InterruptedException {
    try (HttpClient http = BenchHttp.client()) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IOException("GET /metrics answered " + res.statusCode());
      }
      return new ServerMetrics(res.body());
    }
  }

  /** For a scrape already fetched. */
  static ServerMetrics of(String exposition) {
    return new ServerMetrics(exposition);
  }

  /** {@code {"background":{"lane_full":123,…},…}}; empty when nothing was refused. */
  Map<String, Map<String, Long>> rejections() {
    var out = new TreeMap<String, Map<String, Long>>();
    each(
        "vigil_jobs_rejected_total",
        (labels, value) -> {
          String lane = labels.get("lane");
          String reason = labels.get("reason");
          long n = Math.round(value);
          if (lane != null && reason != null && n > 0) {
            out.computeIfAbsent(lane, k -> new TreeMap<>()).merge(reason, n, Long::sum);
          }
        });
    return out;
  }

  /**
   * {@code {"enqueue":{"calls","over_100_ms","max_ms"},…}} for the store calls on the path of
   * every accepted job.
   */
  Map<String, Object> storeOperations() {
    var calls = new TreeMap<String, Double>();
    var under100 = new TreeMap<String, Double>();
    var max = new TreeMap<String, Double>();
    each("vigil_store_operation_seconds_count", (l, v) -> calls.merge(l.get("operation"), v, Double::sum));
    each("vigil_store_operation_seconds_max", (l, v) -> max.merge(l.get("operation"), v, Math::max));
    each(
        "vigil_store_operation_seconds_bucket",
        (l, v) -> {
          if ("0.1".equals(l.get("le"))) {
            under100.merge(l.get("operation"), v, Double::sum);
          }
        });
    var out = new LinkedHashMap<String, Object>();
    for (String op : STORE_OPERATIONS) {
      if (calls.containsKey(op)) {
        var m = new LinkedHashMap<String, Object>();
        m.put("calls", Math.round(calls.get(op)));
        m.put("over_100_ms", Math.round(calls.get(op) - under100.getOrDefault(op, calls.get(op))));
        m.put("max_ms", Figures.round1(max.getOrDefault(op, 0.0) * 1_000));
        out.put(op, m);
      }
    }
    return out;
  }

  private void each(String name, java.util.function.BiConsumer<Map<String, String>, Double> f) {
    Matcher m = SAMPLE.matcher(exposition);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        var labels = new LinkedHashMap<String, String>();
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
        f.accept(labels, Double.parseDouble(m.group(3)));
      }
    }
  }
}
