package dev.vigil.bench;

import dev.vigil.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The overload scenario's server, configured as a user would configure a node once its capacity
 * is known: a {@code vigil.yaml} written to the run's directory and read by {@link
 * ServerConfig#load}, exactly as {@code vigil server --config} reads one. The text goes into the
 * report, so a run can be repeated with {@code vigil server}.
 *
 * <p>The lanes keep their default weights and reservations; the load settings follow {@code
 * docs/load.md}: {@code cognition} protected with its 1 s target wait (it must never be refused);
 * {@code social} and {@code sensory} late after 5 s (critical at 2× that, overloaded at 4×);
 * {@code sensory}, whose jobs are only worth running fresh, is sized for {@code sensoryBacklog}
 * of the node's capacity ({@code capacity}: critical at 80 % of it, when it sheds if no lower lane
 * is critical, overloaded at 100 %: {@code 503 overloaded} either way); {@code background} may
 * wait a minute, and holds at most {@code backgroundBacklog} of the node's capacity ({@code
 * max_ready}): past that, {@code 429 lane-full}.
 * HTTP rate limits are on, as they are off loopback, with one client's write quota at twice the
 * offered load: sized for all the producers together, as {@code docs/configuration.md} advises.
 *
 * @param workers the node's worker slots
 * @param capacity the calibrated capacity, jobs/s
 * @param offered the offered load, requests (of one job) per second
 * @param sensoryCapacity {@code capacity} of {@code sensory}
 * @param backgroundMaxReady {@code max_ready} of {@code background}
 */
record OverloadConfig(
    int workers, double capacity, double offered, int sensoryCapacity, int backgroundMaxReady) {

  /** The settings for a node of {@code capacity} jobs/s offered {@code sizes.factor()} times that. */
  static OverloadConfig of(int workers, double capacity, OverloadSizes sizes) {
    return new OverloadConfig(
        workers,
        capacity,
        capacity * sizes.factor(),
        jobsIn(sizes.sensoryBacklog(), capacity),
        jobsIn(sizes.backgroundBacklog(), capacity));
  }

  /** The jobs a node of {@code capacity} jobs/s processes in {@code d}, at least 1. */
  private static int jobsIn(Duration d, double capacity) {
    return (int) Math.max(1, Math.round(capacity * d.toMillis() / 1_000.0));
  }

  /** The calibration server: the same slots and lanes, without any load settings. */
  static String calibrationYaml(int workers, Path dataDir) {
    return server(workers, dataDir)
        + """
        lanes:
          - {name: cognition,  weight: 8}
          - {name: social,     weight: 4, reserved: 1}
          - {name: sensory,    weight: 2, reserved: 1}
          - {name: background, weight: 1, reserved: 2}
        """;
  }

  /** The measured server's {@code vigil.yaml}. */
  String yaml(Path dataDir) {
    return server(workers, dataDir)
        + """
        lanes:
          - {name: cognition,  weight: 8, target_wait: 1s, protected: true}
          - {name: social,     weight: 4, reserved: 1, target_wait: 5s}
          - {name: sensory,    weight: 2, reserved: 1, target_wait: 5s, capacity: %d}
          - {name: background, weight: 1, reserved: 2, target_wait: 60s, max_ready: %d}
        http_limits:
          enabled: true
          per_client: {write: %d/1s}
        """
            .formatted(sensoryCapacity, backgroundMaxReady, writeQuota());
  }

  /** One client's write requests per second: twice the offered load. */
  long writeQuota() {
    return Math.max(1, Math.round(offered * 2));
  }

  /** Writes {@code yaml} as {@code dir/vigil.yaml} and reads it as the server would. */
  static ServerConfig load(Path dir, String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("vigil.yaml"), yaml);
    return ServerConfig.load(file, Map.of());
  }

  private static String server(int workers, Path dataDir) {
    return """
        server:
          host: 127.0.0.1
          port: 0
        data_dir: "%s"
        engine:
          workers: %d
          shutdown_grace_ms: 0
        """
        .formatted(dataDir.toString().replace("\\", "/"), workers);
  }
}
