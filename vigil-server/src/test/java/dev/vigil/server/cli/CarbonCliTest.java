package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.observe.history.HistorySettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil carbon} against a live server whose history samples every second. */
class CarbonCliTest {
  @TempDir Path dir;

  private VigilServer server;

  @BeforeEach
  void start() {
    server = VigilServer.start(
        ServerConfig.builder().port(0).dataDir(dir).history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1))).build(),
        engine -> {});
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void carbon_shows_the_process_part_measured_and_the_model_calls_unknown() {
    await().atMost(Duration.ofSeconds(30)).until(() -> run("carbon", "--since", "1h").out().lines()
        .anyMatch(l -> l.matches("process\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}")));

    CliRun run = run("carbon", "--since", "1h");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines().findFirst()).hasValueSatisfying(l -> assertThat(l).startsWith("from ").contains(" to "));
    assertThat(run.out()).containsPattern("model calls\\s+-\\s+-").contains("null means unknown");
  }

  @Test
  void a_time_that_is_neither_an_age_nor_a_date_is_refused_in_one_line() {
    CliRun run = run("carbon", "--since", "yesterday");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip().lines()).first().asString().contains("--since", "yesterday");
    assertThat(run.out()).isEmpty();
  }

  private CliRun run(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = "--url=" + server.url();
    return CliRun.of(all);
  }
}
