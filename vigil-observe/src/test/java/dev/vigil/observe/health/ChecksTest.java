package dev.vigil.observe.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ManualClock;
import dev.vigil.job.Lane;
import dev.vigil.job.LaneStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksTest {
  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
  /** Long enough for any busy machine: only the probes that answer ever wait for it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void disk_space_is_healthy_above_the_warning_level_degraded_below_it_and_unhealthy_below_the_minimum()
      throws Exception {
    assertThat(Checks.diskSpace(dir, 0, 0).check().status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(Checks.diskSpace(dir, 0, Long.MAX_VALUE).check().status()).isEqualTo(HealthStatus.DEGRADED);
    CheckResult full = Checks.diskSpace(dir, Long.MAX_VALUE, Long.MAX_VALUE).check();
    assertThat(full.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(full.details()).containsKeys("free_bytes", "total_bytes", "min_free_bytes").doesNotContainKey("path");
    assertThat(full.message()).doesNotContain(dir.toString());
    assertThat((long) full.details().get("free_bytes")).isPositive();
  }

  @Test
  void disk_space_of_a_data_directory_not_created_yet_is_read_from_its_parent() throws Exception {
    CheckResult r = Checks.diskSpace(dir.resolve("later/vigil-data"), 0, 0).check();

    assertThat(r.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat((long) r.details().get("free_bytes")).isPositive();
  }

  @Test
  void memory_is_degraded_above_the_warning_ratio_and_unhealthy_above_the_maximum() {
    assertThat(memory(50).check().status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(memory(90).check().status()).isEqualTo(HealthStatus.DEGRADED);
    CheckResult full = memory(99).check();
    assertThat(full.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(full.details()).containsEntry("used_ratio", 0.99).containsEntry("heap_max_bytes", 100L);
  }

  private static MemoryCheck memory(long used) {
    return new MemoryCheck(() -> used, () -> 100, () -> 7, 0.85, 0.95);
  }

  @Test
  void the_real_memory_and_cpu_checks_answer_with_their_figures_and_the_cpu_never_degrades_by_default()
      throws Exception {
    CheckResult memory = Checks.memory(0.85, 0.95).check();
    CheckResult cpu = Checks.cpu().check();

    assertThat((long) memory.details().get("heap_used_bytes")).isPositive();
    assertThat(cpu.details()).containsKey("available_processors");
    assertThat(cpu.status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void by_default_the_cpu_load_is_information_only_and_never_degrades_whatever_the_reading() {
    assertThat(HealthSettings.DEFAULTS.cpuWarnLoad()).isEmpty();
    for (double load : new double[] {0.0, 0.5, 0.9, 0.97, 1.0}) {
      CheckResult r = new CpuCheck(() -> load, () -> 1.0, 2, HealthSettings.DEFAULTS.cpuWarnLoad()).check();

      assertThat(r.status()).as("process load %s", load).isEqualTo(HealthStatus.HEALTHY);
      assertThat(r.message()).isEqualTo("process " + Math.round(load * 100) + " %, system 100 % of 2 processors");
      assertThat(r.details())
          .containsEntry("process_cpu_load", load)
          .containsEntry("system_cpu_load", 1.0)
          .containsEntry("available_processors", 2)
          .doesNotContainKey("warn_load");
    }
  }

  @Test
  void an_opt_in_warning_load_makes_the_cpu_degraded_when_the_process_uses_more() {
    OptionalDouble warn = OptionalDouble.of(0.9);

    assertThat(new CpuCheck(() -> 0.4, () -> 0.5, 2, warn).check().status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(new CpuCheck(() -> 0.9, () -> 0.95, 2, warn).check().status()).isEqualTo(HealthStatus.HEALTHY);
    CheckResult busy = new CpuCheck(() -> 0.97, () -> 0.99, 2, warn).check();
    assertThat(busy.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(busy.message()).endsWith("process over 90 %");
    assertThat(busy.details()).containsEntry("process_cpu_load", 0.97).containsEntry("warn_load", 0.9);
    assertThat(new CpuCheck(() -> -1, () -> -1, 2, warn).check().status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void a_dispatcher_that_stopped_turning_is_degraded_then_unhealthy_as_stalled() throws Exception {
    var clock = new ManualClock(NOW);
    var check = Checks.dispatcher(() -> Optional.of(NOW), clock, Duration.ofSeconds(5), Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(1));
    assertThat(check.check().status()).isEqualTo(HealthStatus.HEALTHY);
    clock.advance(Duration.ofSeconds(9));
    assertThat(check.check().status()).isEqualTo(HealthStatus.DEGRADED);
    clock.advance(Duration.ofSeconds(50));
    CheckResult stalled = check.check();
    assertThat(stalled.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(stalled.message()).startsWith("stalled");
    assertThat(stalled.details()).containsEntry("last_turn_age_ms", 60_000L);
  }

  @Test
  void a_node_without_a_dispatcher_is_healthy() throws Exception {
    var check = Checks.dispatcher(Optional::empty, new ManualClock(NOW), Duration.ofSeconds(5), Duration.ofSeconds(30));

    assertThat(check.check().status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(check.check().details()).containsEntry("running", false);
  }

  @Test
  void backlog_against_lane_capacity_is_judged_by_the_fullest_lane() {
    Lane chat = Lane.of("cognition", 8).withCapacity(100);
    Lane dreams = Lane.of("background", 1).withCapacity(1_000);

    assertThat(backlog(new LaneStatus(chat, 10, 20, 3, null), new LaneStatus(dreams, 0, 100, 1, null)).status())
        .isEqualTo(HealthStatus.HEALTHY);
    assertThat(backlog(new LaneStatus(chat, 0, 85, 0, null), new LaneStatus(dreams, 0, 0, 0, null)).status())
        .isEqualTo(HealthStatus.DEGRADED);
    CheckResult over = backlog(new LaneStatus(chat, 0, 5, 0, null), new LaneStatus(dreams, 600, 400, 0, null));
    assertThat(over.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(over.message()).contains("background");
    @SuppressWarnings("unchecked")
    var lanes = (Map<String, Map<String, Object>>) over.details().get("lanes");
    assertThat(lanes.get("background")).containsEntry("backlog", 1_000L).containsEntry("capacity", 1_000);
  }

  private static CheckResult backlog(LaneStatus... lanes) {
    return new BacklogCheck(() -> List.of(lanes), 0.8, 1.0).check();
  }

  @Test
  void a_tcp_probe_to_an_open_port_is_healthy_and_to_a_closed_port_unhealthy() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (var open = new ServerSocket(0, 50, loopback)) {
      CheckResult up = Checks.tcp("127.0.0.1", open.getLocalPort(), TIMEOUT).check();
      assertThat(up.status()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(up.details()).containsKey("connect_ms");
    }
    int closed;
    try (var s = new ServerSocket(0, 50, loopback)) {
      closed = s.getLocalPort();
    }

    CheckResult down = Checks.tcp("127.0.0.1", closed, TIMEOUT).check();

    assertThat(down.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(down.message()).startsWith("cannot connect");
  }

  @Test
  void an_http_probe_is_healthy_on_any_answer_below_500_and_unhealthy_on_5xx_or_no_answer() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", x -> { x.sendResponseHeaders(200, -1); x.close(); });
    server.createContext("/auth", x -> { x.sendResponseHeaders(401, -1); x.close(); });
    server.createContext("/broken", x -> { x.sendResponseHeaders(503, -1); x.close(); });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      assertThat(Checks.http(URI.create(base + "/ok"), TIMEOUT).check().status()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(Checks.http(URI.create(base + "/auth"), TIMEOUT).check().status()).isEqualTo(HealthStatus.HEALTHY);
      CheckResult broken = Checks.http(URI.create(base + "/broken?key=secret"), TIMEOUT).check();
      assertThat(broken.status()).isEqualTo(HealthStatus.UNHEALTHY);
      assertThat(broken.details()).containsEntry("status_code", 503).containsEntry("target", base);
    } finally {
      server.stop(0);
    }

    assertThat(Checks.http(URI.create(base + "/ok"), TIMEOUT).check().status()).isEqualTo(HealthStatus.UNHEALTHY);
  }

  @Test
  void a_store_round_trip_is_healthy_when_quick_degraded_when_slow_and_unhealthy_when_it_fails() {
    var ticker = new AtomicLong();
    Duration warn = Duration.ofMillis(500);

    CheckResult quick = new StoreCheck(() -> ticker.addAndGet(Duration.ofMillis(20).toNanos()), warn, ticker::get).check();
    CheckResult slow = new StoreCheck(() -> ticker.addAndGet(Duration.ofMillis(700).toNanos()), warn, ticker::get).check();
    CheckResult down = run(Checks.store(() -> {
      throw new IllegalStateException("connection refused");
    }, warn));

    assertThat(quick.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(quick.details()).containsEntry("round_trip_ms", 20.0);
    assertThat(slow.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(slow.message()).isEqualTo("slow: answered in 700.0 ms (over 500 ms)");
    assertThat(down.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(down.message()).isEqualTo("failed: IllegalStateException");
  }

  private static CheckResult run(HealthCheck check) {
    return HealthChecks.builder().cacheFor(Duration.ZERO).timeout(TIMEOUT).add("x", check).build().report().checks().get("x");
  }

  @Test
  void probes_are_checked_when_configured_and_never_print_credentials() {
    assertThat(ProbeSpec.tcp("redis", "127.0.0.1:6379", null).timeout()).isEqualTo(ProbeSpec.DEFAULT_TIMEOUT);
    assertThatThrownBy(() -> ProbeSpec.tcp("redis", "localhost", null)).hasMessage("tcp: must be host:port");
    assertThatThrownBy(() -> ProbeSpec.tcp("redis", "localhost:0", null)).hasMessageStartingWith("tcp:");
    assertThatThrownBy(() -> ProbeSpec.http("llm", "ftp://x", null)).hasMessageStartingWith("http:");
    assertThatThrownBy(() -> ProbeSpec.http("LLM provider", "https://api.example.com", null))
        .hasMessageStartingWith("name:");
    assertThat(ProbeSpec.http("llm", "https://user:pw@api.example.com/v1?key=k", Duration.ofMillis(500)).toString())
        .doesNotContain("user", "pw", "/v1", "key=k")
        .contains("https://api.example.com:443");
  }

  @Test
  void a_probe_shows_only_scheme_host_and_port_and_a_tcp_host_cannot_hide_a_credential() {
    assertThat(ProbeSpec.http("llm", "https://user:pw@api.example.com/v1/t0ken?key=k", null).shownTarget())
        .isEqualTo("https://api.example.com:443");
    assertThat(ProbeSpec.http("llm", "http://127.0.0.1:8081/x", null).shownTarget()).isEqualTo("http://127.0.0.1:8081");
    assertThat(ProbeSpec.tcp("redis", "redis.internal:6379", null).shownTarget()).isEqualTo("tcp://redis.internal:6379");
    assertThat(ProbeSpec.tcp("redis", "[::1]:6379", null).shownTarget()).isEqualTo("tcp://[::1]:6379");
    assertThatThrownBy(() -> ProbeSpec.tcp("redis", "redis://:pw@redis:6379", null))
        .hasMessageStartingWith("tcp: must be host:port")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> ProbeSpec.tcp("redis", "redis/db0:6379", null)).hasMessageStartingWith("tcp:");
  }

  @Test
  void the_disk_check_of_a_directory_that_does_not_exist_does_not_name_it() throws Exception {
    CheckResult r = new DiskSpaceCheck(Path.of("/no-such-root-4711/vigil-data"), 0, 0).check();

    assertThat(r.message()).doesNotContain("no-such-root-4711");
    assertThat(r.details().toString()).doesNotContain("no-such-root-4711");
  }

  @Test
  void health_settings_refuse_a_probe_named_like_a_standard_check_or_thresholds_out_of_order() {
    assertThatThrownBy(() -> HealthSettings.DEFAULTS.withProbes(List.of(ProbeSpec.tcp("store", "db:5432", null))))
        .hasMessage("probes[0].name: 'store' is the name of a standard check");
    assertThatThrownBy(
            () -> HealthSettings.DEFAULTS.withProbes(
                List.of(ProbeSpec.tcp("redis", "r:1", null), ProbeSpec.tcp("redis", "r:2", null))))
        .hasMessage("probes[1].name: duplicate probe 'redis'");
    assertThatThrownBy(() -> HealthSettings.DEFAULTS.withCpuWarnLoad(OptionalDouble.of(1.5)))
        .hasMessage("cpu_warn_load: must be above 0 and at most 1");
    assertThat(HealthSettings.DEFAULTS.withCpuWarnLoad(OptionalDouble.of(0.8)).cpuWarnLoad()).hasValue(0.8);
  }
}
