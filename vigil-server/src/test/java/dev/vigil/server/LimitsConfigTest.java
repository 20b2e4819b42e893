package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.limits.LimitRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code limits:} list of the configuration, as the contract writes it. */
class LimitsConfigTest {
  @TempDir Path dir;

  private ServerConfig load(String yaml) throws IOException {
    return ServerConfig.load(Files.writeString(dir.resolve("vigil.yaml"), yaml), Map.of());
  }

  @Test
  void the_contract_example_reads_as_written() throws IOException {
    ServerConfig c = load("""
        limits:
          - {key: "provider:openai", rate: 500, units: 200000, window: 1m}      # starts and cost units per window
          - {key: "tenant:*", rate: 60, window: 1m}      # '*' at the end: each matching key gets its own bucket
          - {key: "user:*", concurrency: 2}              # at most 2 running per user
        """);

    assertThat(c.limits()).containsExactly(
        new LimitRule("provider:openai", 500, 200_000L, Duration.ofMinutes(1), null),
        new LimitRule("tenant:*", 60, null, Duration.ofMinutes(1), null),
        new LimitRule("user:*", null, null, null, 2));
    assertThat(ServerConfig.load(null, Map.of()).limits()).isEmpty();
  }

  @Test
  void a_bad_limit_names_its_place_in_one_line() {
    assertRefused("limits: {key: a, rate: 1, window: 1m}\n", "limits: must be a list of limits");
    assertRefused("limits:\n  - {rate: 1, window: 1m}\n", "limits[0].key: is required");
    assertRefused("limits:\n  - {key: a}\n", "limits[0]: a limit sets rate, units or concurrency");
    assertRefused("limits:\n  - {key: a, rate: 5}\n", "limits[0].window: a rate or units limit needs a window of 1s to 1d");
    assertRefused("limits:\n  - {key: a, rate: 5, window: soon}\n", "limits[0].window: must be a duration such as 1s, 1m or 1h");
    assertRefused("limits:\n  - {key: a, rate: 0, window: 1m}\n", "limits[0].rate: must be at least 1");
    assertRefused("limits:\n  - {key: a, concurrency: 1.5}\n", "limits[0].concurrency: must be a whole number");
    assertRefused("limits:\n  - {key: a, units: 2000000000, window: 1s}\n",
        "limits[0].units: must be at most one per nanosecond of the window");
    assertRefused("limits:\n  - {key: 'a b', concurrency: 1}\n",
        "limits[0].key: must be a key of 1-128 letters, digits, '_', '.', ':', '@', '/' or '-', ending in '*' for a prefix (got 'a b')");
    assertRefused("limits:\n  - {key: a, concurrency: 1}\n  - {key: a, rate: 1, window: 1s}\n", "limits[1].key: 'a' has a limit already");
    assertRefused("limits:\n  - {key: a, concurrency: 1, burst: 3}\n", "limits[0].burst: unknown key");
  }

  private void assertRefused(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
