package dev.vigil.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which lane each arrival of the overload scenario goes to: of every ten, one {@code cognition}
 * (a chat reply), two {@code social}, two {@code sensory} and five {@code background}, interleaved
 * so that every lane's arrivals are evenly spaced. Each lane has its own job type, so the server's
 * meters name it as a user's would.
 */
final class OverloadMix {
  /** The lanes in priority order, as the server's configuration lists them. */
  static final List<String> LANES = List.of("cognition", "social", "sensory", "background");

  private static final Map<String, String> TYPES =
      Map.of("cognition", "reply", "social", "post", "sensory", "observe", "background", "dream");

  private static final List<String> PATTERN =
      List.of(
          "background", "cognition", "background", "social", "background",
          "sensory", "background", "social", "background", "sensory");

  private OverloadMix() {}

  /** The lane of arrival number {@code seq}. */
  static String laneOf(long seq) {
    return PATTERN.get((int) (seq % PATTERN.size()));
  }

  /** The job type of a lane's jobs. */
  static String typeOf(String lane) {
    return TYPES.get(lane);
  }

  /** How long an arrival's request may take once sent before it counts as unanswered. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Arrival {@code seq}'s request: {@code POST /api/v1/jobs} of one job of its lane, with the
   * time it was due ({@link System#nanoTime()}) as its payload, for {@link JobTally}.
   */
  static HttpRequest request(URI base, long seq, long dueNanos) {
    String lane = laneOf(seq);
    String body =
        "{\"type\":\"" + typeOf(lane) + "\",\"lane\":\"" + lane + "\",\"payload\":{\"due\":"
            + dueNanos + "}}";
    return HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
        .header("Content-Type", "application/json")
        .timeout(REQUEST_TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Each lane's share of the arrivals, for the report. */
  static Map<String, Double> shares() {
    var m = new LinkedHashMap<String, Double>();
    for (String lane : LANES) {
      m.put(lane, PATTERN.stream().filter(lane::equals).count() / (double) PATTERN.size());
    }
    return m;
  }
}
