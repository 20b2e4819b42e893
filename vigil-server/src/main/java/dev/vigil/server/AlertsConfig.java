package dev.vigil.server;

import dev.vigil.observe.history.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code alerts.*} keys of the configuration, and their environment variables. */
final class AlertsConfig {
  static final Set<String> KEYS = Set.of("enabled", "file", "interval");

  private AlertsConfig() {}

  /** Environment variable → key, for {@link ConfigLoader#ENV}. */
  static Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    m.put("VIGIL_ALERTS_ENABLED", "alerts.enabled");
    m.put("VIGIL_ALERTS_FILE", "alerts.file");
    m.put("VIGIL_ALERTS_INTERVAL", "alerts.interval");
    return m;
  }

  /**
   * The {@code alerts.*} keys; {@code d} holds the values of the keys not set, except the file,
   * which defaults to {@code alerts.yaml} beside the configuration file {@code configFile} (when
   * one was read).
   */
  static AlertSettings alerts(ConfigTree t, AlertSettings d, Path configFile) {
    t.requireKnownKeys("alerts", KEYS);
    Path beside = configFile == null ? d.file() : besides(configFile);
    Duration interval = d.interval();
    var text = t.text("alerts.interval");
    if (text.isPresent()) {
      interval = Durations.parse(text.get())
          .orElseThrow(() -> new ConfigException(t.label("alerts.interval"), "must be a duration such as 1s, 15s or 1m"));
    }
    try {
      return new AlertSettings(
          t.bool("alerts.enabled").orElse(d.enabled()), t.text("alerts.file").map(Path::of).orElse(beside), interval);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(t.label("alerts.interval"), e.getMessage().substring("interval: ".length()));
    }
  }

  private static Path besides(Path configFile) {
    Path parent = configFile.toAbsolutePath().getParent();
    return parent == null ? Path.of("alerts.yaml") : parent.resolve("alerts.yaml");
  }
}
