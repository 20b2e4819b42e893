package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.http.HttpLimitSettings;
import dev.vigil.server.http.HttpLimitSettings.Quota;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http_limits.*} keys and {@code VIGIL_HTTP_LIMITS_*} variables. */
class HttpLimitsConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), text);
  }

  @Test
  void by_default_limits_follow_the_address_listened_on_with_the_documented_quotas() {
    HttpLimitSettings limits = ServerConfig.load(null, Map.of()).httpLimits();

    assertThat(limits).isEqualTo(HttpLimitSettings.DEFAULTS);
    assertThat(limits.enabled()).isNull();
    assertThat(limits.enabledOn(true)).isFalse();
    assertThat(limits.enabledOn(false)).isTrue();
    assertThat(limits.read()).isEqualTo(new Quota(1200, Duration.ofMinutes(1)));
    assertThat(limits.write()).isEqualTo(new Quota(600, Duration.ofMinutes(1)));
    assertThat(limits.claim()).isEqualTo(new Quota(6000, Duration.ofMinutes(1)));
  }

  @Test
  void every_key_is_read_from_the_file_and_the_environment_wins() throws IOException {
    Path file = yaml("""
        http_limits:
          enabled: true
          per_client: {read: 1200/1m, write: 10/1s, claim: 5000/1h}
        """);

    HttpLimitSettings fromFile = ServerConfig.load(file, Map.of()).httpLimits();
    HttpLimitSettings fromEnv = ServerConfig.load(file, Map.of(
        "VIGIL_HTTP_LIMITS_ENABLED", "false", "VIGIL_HTTP_LIMITS_READ", "50/10s",
        "VIGIL_HTTP_LIMITS_WRITE", "7/1m", "VIGIL_HTTP_LIMITS_CLAIM", "100 / 1d")).httpLimits();

    assertThat(fromFile).isEqualTo(new HttpLimitSettings(
        true, new Quota(1200, Duration.ofMinutes(1)), new Quota(10, Duration.ofSeconds(1)), new Quota(5000, Duration.ofHours(1))));
    assertThat(fromEnv).isEqualTo(new HttpLimitSettings(
        false, new Quota(50, Duration.ofSeconds(10)), new Quota(7, Duration.ofMinutes(1)), new Quota(100, Duration.ofDays(1))));
  }

  @Test
  void a_class_left_out_keeps_its_default() throws IOException {
    HttpLimitSettings limits = ServerConfig.load(yaml("http_limits:\n  per_client:\n    write: 60/1m\n"), Map.of()).httpLimits();

    assertThat(limits.enabled()).isNull();
    assertThat(limits.read()).isEqualTo(HttpLimitSettings.DEFAULTS.read());
    assertThat(limits.write()).hasToString("60/1m");
    assertThat(limits.claim()).isEqualTo(HttpLimitSettings.DEFAULTS.claim());
  }

  @Test
  void a_bad_value_names_its_key_or_variable() throws IOException {
    assertThatThrownBy(() -> ServerConfig.load(yaml("http_limits:\n  per_client: {read: 1200}\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http_limits.per_client.read: must be requests per window such as 1200/1m, 10/1s or 5000/1h (got '1200')");
    assertThatThrownBy(() -> ServerConfig.load(yaml("http_limits:\n  per_client: {write: 0/1m}\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http_limits.per_client.write: must allow 1 to 1000000000 requests (got 0)");
    assertThatThrownBy(() -> ServerConfig.load(yaml("http_limits:\n  per_client: {claim: 10/500ms}\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http_limits.per_client.claim: must have a window of whole seconds from 1s to 1d (got 500ms)");
    assertThatThrownBy(() -> ServerConfig.load(yaml("http_limits:\n  per_client: {read: 10/2d}\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http_limits.per_client.read: must have a window");
    assertThatThrownBy(() -> ServerConfig.load(yaml("http_limits:\n  per_client: {admin: 10/1m}\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("http_limits.per_client.admin: unknown key");
    assertThatThrownBy(() -> ServerConfig.load(yaml("http_limits:\n  burst: 10\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("http_limits.burst: unknown key");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_HTTP_LIMITS_WRITE", "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("VIGIL_HTTP_LIMITS_WRITE (http_limits.per_client.write): must be requests per window");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_HTTP_LIMITS_ENABLED", "sometimes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("VIGIL_HTTP_LIMITS_ENABLED (http_limits.enabled):");
  }
}
