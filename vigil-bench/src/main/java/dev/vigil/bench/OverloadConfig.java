package dev.vigil.bench;

import dev.vigil.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The overload scenario's server, configured as a user would configure a node once its capacity
 * is known: a {@code vigil.yaml} written to the run's directory and read by {@link
 * ServerConfig#load}, exactly as {@code vigil server --config} reads one. The text goes into the
 * report, so a run can be repeated with {@code vigil server}.
 *
 * <p>The lanes keep their default weights and reservations; the load settings follow {@code
 * docs/load.md}: {@code cognition} protected with its 1 s target wait (it must never be refused);
 * {@code social} and {@code sensory} late after 5 s (they shed at 2× that when critical, and
 * refuse at 4× when overloaded); {@code background} may wait a minute, and holds at most {@code
 * backgroundBacklog} of the node's capacity ({@code max_ready}): past that, {@code 429 lane-full}.
 * HTTP rate limits are on, as they are off loopback, with one client's write quota at twice the
 * offered load: sized for all the producers together, as {@code docs/configuration.md} advises.
 *
 * @param workers the node's worker slots
 * @param capacity the calibrated capacity, jobs/s
 * @param offered the offered load, requests (of one job) per second
 * @param backgroundMaxReady {@code max_ready} of {@code background}
 */
record OverloadConfig(int workers, double capacity, double offered, int backgroundMaxReady) {

  /** The settings for a node of {@code capacity} jobs/s offered {@code sizes.factor()} times that. */
  static OverloadConfig of(int workers, double capacity, OverloadSizes sizes) {
    int maxReady =
        (int) Math.max(1, Math.round(capacity * sizes.backgroundBacklog().toMillis() / 1_000.0));
    return new OverloadConfig(workers, capacity, capacity * sizes.factor(), maxReady);
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
          - {name: sensory,    weight: 2, reserved: 1, target_wait: 5s}
          - {name: background, weight: 1, reserved: 2, target_wait: 60s, max_ready: %d}
        http_limits:
          enabled: true
          per_client: {write: %d/1s}
        """
            .formatted(backgroundMaxReady, writeQuota());
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
