package dev.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own count of refused jobs, {@code vigil_jobs_rejected_total{lane,type,reason}}, read
 * from its {@code /metrics} as a scraper would, summed by lane and reason ({@code lane_full},
 * {@code shed}, {@code overloaded}). It tells the two kinds of {@code 503} apart, which a client
 * cannot: both are {@code …/overloaded}.
 */
final class ServerRejections {
  private static final Pattern SAMPLE =
      Pattern.compile("^vigil_jobs_rejected_total\\{([^}]*)\\}\\s+(\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ServerRejections() {}

  /** {@code {"background":{"lane_full":123,…},…}}; empty when nothing was refused. */
  static Map<String, Map<String, Long>> read(URI base) throws IOException, InterruptedException {
    try (HttpClient http = BenchHttp.client()) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IOException("GET /metrics answered " + res.statusCode());
      }
      return parse(res.body());
    }
  }

  static Map<String, Map<String, Long>> parse(String exposition) {
    var out = new TreeMap<String, Map<String, Long>>();
    Matcher m = SAMPLE.matcher(exposition);
    while (m.find()) {
      String lane = null;
      String reason = null;
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        switch (l.group(1)) {
          case "lane" -> lane = l.group(2);
          case "reason" -> reason = l.group(2);
          default -> {}
        }
      }
      long n = Math.round(Double.parseDouble(m.group(2)));
      if (lane != null && reason != null && n > 0) {
        out.computeIfAbsent(lane, k -> new TreeMap<>()).merge(reason, n, Long::sum);
      }
    }
    return out;
  }
}
