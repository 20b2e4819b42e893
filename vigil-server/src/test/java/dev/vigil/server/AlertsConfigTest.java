package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code alerts.*} keys and {@code VIGIL_ALERTS_*} variables. */
class AlertsConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), text);
  }

  @Test
  void by_default_rules_are_evaluated_every_15_s_from_alerts_yaml_beside_the_configuration_file() throws IOException {
    assertThat(ServerConfig.load(null, Map.of()).alerts()).isEqualTo(AlertSettings.DEFAULTS);
    assertThat(AlertSettings.DEFAULTS).isEqualTo(new AlertSettings(true, Path.of("alerts.yaml"), Duration.ofSeconds(15)));

    assertThat(ServerConfig.load(yaml(""), Map.of()).alerts().file()).isEqualTo(dir.toAbsolutePath().resolve("alerts.yaml"));
  }

  @Test
  void every_key_is_read_from_the_file_and_the_environment_wins() throws IOException {
    Path file = yaml("""
        alerts:
          enabled: false
          file: /etc/vigil/rules.yaml
          interval: 30s
        """);

    AlertSettings fromFile = ServerConfig.load(file, Map.of()).alerts();
    AlertSettings fromEnv = ServerConfig.load(file, Map.of(
        "VIGIL_ALERTS_ENABLED", "true", "VIGIL_ALERTS_FILE", "ops/alerts.yaml", "VIGIL_ALERTS_INTERVAL", "1s")).alerts();

    assertThat(fromFile).isEqualTo(new AlertSettings(false, Path.of("/etc/vigil/rules.yaml"), Duration.ofSeconds(30)));
    assertThat(fromEnv).isEqualTo(new AlertSettings(true, Path.of("ops/alerts.yaml"), Duration.ofSeconds(1)));
  }

  @Test
  void a_bad_value_names_its_key_or_variable() throws IOException {
    assertThatThrownBy(() -> ServerConfig.load(yaml("alerts:\n  interval: 500ms\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("alerts.interval: must be 1s to 1h");
    assertThatThrownBy(() -> ServerConfig.load(yaml("alerts:\n  interval: soon\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("alerts.interval: must be a duration such as 1s, 15s or 1m");
    assertThatThrownBy(() -> ServerConfig.load(yaml("alerts:\n  rules: []\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("alerts.rules: unknown key");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_ALERTS_INTERVAL", "2h")))
        .isInstanceOf(ConfigException.class).hasMessage("VIGIL_ALERTS_INTERVAL (alerts.interval): must be 1s to 1h");
  }
}
