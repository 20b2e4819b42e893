package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.JobRequest;
import dev.vigil.limits.LimitRule;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil limits} against a live server whose jobs draw from a rate and a concurrency key. */
class LimitsCliTest {
  @TempDir Path dir;

  private final CountDownLatch release = new CountDownLatch(1);
  private VigilServer server;

  @BeforeEach
  void start() {
    server = VigilServer.start(
        ServerConfig.builder().port(0).dataDir(dir).limits(List.of(
            new LimitRule("provider:openai", 500, null, Duration.ofDays(1), null),
            new LimitRule("user:*", null, null, null, 1))).build(),
        engine -> engine.handler("reply", ctx -> release.await()));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
  }

  private CliRun vigil(String... args) {
    var all = new ArrayList<>(List.of(args));
    all.add("--url=" + server.url());
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void limits_show_each_keys_quota_what_is_left_and_its_running_and_held_jobs() {
    assertThat(vigil("limits").out()).contains("provider:openai", "500/1d");

    for (int i = 0; i < 3; i++) {
      server.vigil().enqueue(JobRequest.builder("reply").lane("social")
          .limitKeys(List.of("provider:openai")).concurrencyKey("user:42").build());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> vigil("limits").out().lines().anyMatch(l -> l.startsWith("user:42")
        && l.trim().endsWith("2")));

    CliRun run = vigil("limits");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines().findFirst()).hasValueSatisfying(h ->
        assertThat(h).startsWith("KEY").contains("RATE", "LEFT", "CONCURRENCY", "RUNNING", "WAITING"));
    assertThat(run.out().lines().filter(l -> l.startsWith("provider:openai")).findFirst())
        .hasValueSatisfying(l -> assertThat(l.split("\\s+"))
            .as("its one running job counted; its two others wait for user:42")
            .containsExactly("provider:openai", "500/1d", "499", "-", "-", "-", "1", "0"));
    assertThat(run.out().lines().filter(l -> l.startsWith("user:42")).findFirst())
        .hasValueSatisfying(l -> assertThat(l.split("\\s+")).containsSubsequence("1", "1", "2"));
    assertThat(vigil("limits", "--json").out()).contains("\"waiting\":2");
  }
}
