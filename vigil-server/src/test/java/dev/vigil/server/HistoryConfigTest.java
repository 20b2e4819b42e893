package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.observe.history.HistorySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code history.*} keys and {@code VIGIL_HISTORY_*} variables. */
class HistoryConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), text);
  }

  private void assertRefused(String yaml, Map<String, String> env, String message) throws IOException {
    assertThatThrownBy(() -> ServerConfig.load(yaml(yaml), env)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void by_default_history_samples_every_10_s_and_keeps_48_h_30_days_and_400_days() {
    HistorySettings h = ServerConfig.load(null, Map.of()).history();

    assertThat(h).isEqualTo(HistorySettings.DEFAULTS);
    assertThat(h.enabled()).isTrue();
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(h.rawRetention()).isEqualTo(Duration.ofHours(48));
    assertThat(h.minuteRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(h.hourRetention()).isEqualTo(Duration.ofDays(400));
    assertThat(h.maxSeries()).isEqualTo(10_000);
    assertThat(ServerConfig.defaults().toString()).contains("history=HistorySettings[enabled=true, interval=PT10S");
  }

  @Test
  void every_key_is_read_from_the_file_and_the_environment_wins() throws IOException {
    Path file = yaml("""
        history:
          enabled: false
          interval: 5s
          retention:
            raw: 72h
            minute: 14d
            hour: 2000d
          max_series: 500
        """);

    HistorySettings fromFile = ServerConfig.load(file, Map.of()).history();
    HistorySettings fromEnv =
        ServerConfig.load(file, Map.of(
            "VIGIL_HISTORY_ENABLED", "true",
            "VIGIL_HISTORY_INTERVAL", "1s",
            "VIGIL_HISTORY_RETENTION_RAW", "3h",
            "VIGIL_HISTORY_RETENTION_MINUTE", "7d",
            "VIGIL_HISTORY_RETENTION_HOUR", "30d",
            "VIGIL_HISTORY_MAX_SERIES", "2000")).history();

    assertThat(fromFile).isEqualTo(
        new HistorySettings(false, Duration.ofSeconds(5), Duration.ofHours(72), Duration.ofDays(14), Duration.ofDays(2000), 500));
    assertThat(fromEnv).isEqualTo(
        new HistorySettings(true, Duration.ofSeconds(1), Duration.ofHours(3), Duration.ofDays(7), Duration.ofDays(30), 2000));
  }

  @Test
  void a_bad_value_names_its_key_or_variable() throws IOException {
    assertRefused("history:\n  interval: 500ms\n", Map.of(), "history.interval: must be between 1s and 1m (got 500ms)");
    assertRefused("history:\n  interval: 10\n", Map.of(),
        "history.interval: must be a duration such as 10s, 15m, 48h or 30d (got '10')");
    assertRefused("history:\n  retention:\n    raw: 1h\n", Map.of(), "history.retention.raw: must be between 2h and 3660d (got 1h)");
    assertRefused("history:\n  retention:\n    week: 1d\n", Map.of(), "history.retention.week: unknown key");
    assertRefused("history:\n  max_series: 0\n", Map.of(), "history.max_series: must be between 1 and 1000000 (got 0)");
    assertRefused("history:\n  intervall: 10s\n", Map.of(), "history.intervall: unknown key");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_HISTORY_INTERVAL", "2 minutes")))
        .hasMessage("VIGIL_HISTORY_INTERVAL (history.interval): must be a duration such as 10s, 15m, 48h or 30d (got '2 minutes')");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_HISTORY_INTERVAL", "2m")))
        .hasMessage("VIGIL_HISTORY_INTERVAL (history.interval): must be between 1s and 1m (got 2m)");
  }
}
