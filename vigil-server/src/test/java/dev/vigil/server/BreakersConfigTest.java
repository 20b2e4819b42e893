package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.limits.BreakerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code breakers.*} keys, as the contract writes them, and {@code VIGIL_BREAKERS_*}. */
class BreakersConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), text);
  }

  private ServerConfig load(String text) throws IOException {
    return ServerConfig.load(yaml(text), Map.of());
  }

  @Test
  void breakers_are_on_by_default_with_the_documented_settings() {
    BreakerSettings b = ServerConfig.load(null, Map.of()).breakers();

    assertThat(b).isEqualTo(BreakerSettings.DEFAULTS);
    assertThat(b.enabled()).isTrue();
    assertThat(b.failureRatio()).isEqualTo(0.5);
    assertThat(b.minAttempts()).isEqualTo(20);
    assertThat(b.window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.coolDown()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.maxCoolDown()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void the_contract_example_reads_as_written_and_the_environment_wins() throws IOException {
    Path file = yaml("""
        breakers:
          {failure_ratio: 0.6, min_attempts: 40, window: 2m, cool_down: 10s, max_cool_down: 10m}
        """);

    BreakerSettings fromFile = ServerConfig.load(file, Map.of()).breakers();
    BreakerSettings fromEnv = ServerConfig.load(file, Map.of(
        "VIGIL_BREAKERS_ENABLED", "false", "VIGIL_BREAKERS_FAILURE_RATIO", "0.75", "VIGIL_BREAKERS_MIN_ATTEMPTS", "25",
        "VIGIL_BREAKERS_WINDOW", "30s", "VIGIL_BREAKERS_COOL_DOWN", "1m", "VIGIL_BREAKERS_MAX_COOL_DOWN", "1h")).breakers();

    assertThat(fromFile).isEqualTo(new BreakerSettings(
        true, 0.6, 40, Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofMinutes(10)));
    assertThat(fromEnv).isEqualTo(new BreakerSettings(
        false, 0.75, 25, Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofHours(1)));
  }

  @Test
  void enabled_false_switches_them_off_and_keeps_the_rest() throws IOException {
    assertThat(load("breakers: {enabled: false}\n").breakers()).isEqualTo(BreakerSettings.DISABLED);
  }

  @Test
  void a_bad_value_names_its_key_in_one_line() {
    assertRefused("breakers: [0.5]\n", "breakers: must be a mapping of keys");
    assertRefused("breakers: {ratio: 0.5}\n", "breakers.ratio: unknown key");
    assertRefused("breakers: {failure_ratio: half}\n",
        "breakers.failure_ratio: must be a number above 0 and at most 1, such as 0.5 (got 'half')");
    assertRefused("breakers: {failure_ratio: 0}\n", "breakers.failure_ratio: must be above 0 and at most 1 (got 0.0)");
    assertRefused("breakers: {failure_ratio: 1.5}\n", "breakers.failure_ratio: must be above 0 and at most 1 (got 1.5)");
    assertRefused("breakers: {min_attempts: 5}\n", "breakers.min_attempts: must be between 20 and 10000 (got 5)");
    assertRefused("breakers: {min_attempts: many}\n", "breakers.min_attempts: must be an integer (got 'many')");
    assertRefused("breakers: {window: soon}\n", "breakers.window: must be a duration such as 30s, 5m or 1h (got 'soon')");
    assertRefused("breakers: {window: 2h}\n", "breakers.window: must be 1s to 1h (got 7200000 ms)");
    assertRefused("breakers: {cool_down: 500ms}\n", "breakers.cool_down: must be 1s to 1h (got 500 ms)");
    assertRefused("breakers: {cool_down: 1m, max_cool_down: 30s}\n",
        "breakers.max_cool_down: must be cool_down (60000 ms) to 1d (got 30000 ms)");
    assertRefused("breakers: {enabled: maybe}\n", "breakers.enabled: must be true or false (got 'maybe')");
  }

  @Test
  void a_bad_environment_value_names_its_variable() {
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_BREAKERS_MIN_ATTEMPTS", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VIGIL_BREAKERS_MIN_ATTEMPTS (breakers.min_attempts): must be between 20 and 10000 (got 3)");
  }

  private void assertRefused(String text, String message) {
    assertThatThrownBy(() -> load(text)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
