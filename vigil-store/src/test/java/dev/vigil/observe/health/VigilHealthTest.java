package dev.vigil.observe.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ManualClock;
import dev.vigil.Vigil;
import dev.vigil.job.JobRequest;
import dev.vigil.job.Lane;
import dev.vigil.store.SqliteJobStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard checks on a real engine and SQLite store. */
class VigilHealthTest {
  @TempDir Path dir;
  private Vigil vigil;

  @AfterEach
  void close() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private Vigil start(List<Lane> lanes) {
    vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .lanes(lanes)
            .handler("reply", ctx -> {})
            .start();
    return vigil;
  }

  /**
   * Thresholds no busy machine crosses (a whole heap, a minute's wait, CPU as information), so a
   * check fails only for what a test sets up.
   */
  private static HealthSettings settings() {
    return new HealthSettings(
        Duration.ofMinutes(1), Duration.ZERO, 0, 0, 1.0, 1.0, OptionalDouble.empty(), 0.8, 1.0,
        Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1), List.of());
  }

  @Test
  void a_running_node_reports_every_standard_check_healthy() {
    start(Lane.DEFAULTS);

    HealthReport report = VigilHealth.checks(vigil, settings(), dir, InstantSource.system()).build().report();

    assertThat(report.checks().keySet()).containsExactly("store", "disk", "memory", "cpu", "dispatcher", "backlog");
    assertThat(report.checks()).allSatisfy((name, r) -> assertThat(r.status()).as(name).isEqualTo(HealthStatus.HEALTHY));
    assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void a_dispatcher_whose_heartbeat_is_older_than_the_stall_limit_makes_the_node_unhealthy() {
    start(Lane.DEFAULTS);
    var later = new ManualClock(Instant.now().plus(Duration.ofHours(1)));

    HealthReport report = VigilHealth.checks(vigil, settings(), null, later).build().report();

    assertThat(report.checks().get("dispatcher").status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(report.checks()).doesNotContainKey("disk");
  }

  @Test
  void a_lane_filled_to_its_capacity_makes_the_backlog_unhealthy() {
    start(List.of(Lane.of("cognition", 8).withCapacity(10), Lane.of("background", 1).withCapacity(2)));
    vigil.pause("background");
    vigil.enqueue(JobRequest.builder("dream").lane("background").build());
    vigil.enqueue(JobRequest.builder("dream").lane("background").build());

    CheckResult backlog =
        VigilHealth.checks(vigil, settings(), null, InstantSource.system()).build().report().checks().get("backlog");

    assertThat(backlog.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(backlog.message()).contains("background at 100 %");
  }

  @Test
  void configured_probes_join_the_report_by_name() throws Exception {
    start(Lane.DEFAULTS);
    int closed;
    try (var s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    try (var open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      HealthSettings s =
          settings()
              .withProbes(
                  List.of(
                      ProbeSpec.tcp("redis", "127.0.0.1:" + open.getLocalPort(), Duration.ofSeconds(30)),
                      ProbeSpec.tcp("neo4j", "127.0.0.1:" + closed, Duration.ofSeconds(30))));

      HealthReport report = VigilHealth.checks(vigil, s, null, InstantSource.system()).build().report();

      assertThat(report.checks().get("redis").status()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(report.checks().get("neo4j").status()).isEqualTo(HealthStatus.UNHEALTHY);
      assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
    }
  }
}
