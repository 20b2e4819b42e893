package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.observe.health.HealthSettings;
import dev.vigil.observe.health.ProbeSpec;
import dev.vigil.server.ApiClient;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The health endpoints in the shape of issue 6, with dependency probes on 127.0.0.1. */
class HealthEndpointsTest {
  private static final List<String> STANDARD = List.of("store", "disk", "memory", "cpu", "dispatcher", "backlog");

  /** A port something listens on, for a probe that must succeed. */
  static ServerSocket listening() {
    try {
      return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port nothing listens on, for a probe that must fail. */
  static int closedPort() {
    try (ServerSocket s = listening()) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Thresholds no busy machine crosses (no free disk needed, a whole heap, a minute for the store
   * and the dispatcher, CPU as information as by default), so a check turns degraded or unhealthy
   * only for what a test sets up, whatever else runs beside the suite.
   */
  static HealthSettings steady(List<ProbeSpec> probes) {
    return new HealthSettings(
            Duration.ofMinutes(1), Duration.ZERO, 0, 0, 1.0, 1.0, OptionalDouble.empty(), 0.8, 1.0,
            Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1), List.of())
        .withProbes(probes);
  }

  @Nested
  class WithReachableDependencies extends ServerTestSupport {
    private final ServerSocket redis = listening();

    @AfterEach
    void closeRedis() throws IOException {
      redis.close();
    }

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.health(steady(List.of(ProbeSpec.tcp("redis", "127.0.0.1:" + redis.getLocalPort(), Duration.ofSeconds(30)))));
    }

    @Test
    void detailed_health_lists_every_check_with_status_message_latency_and_details() {
      Reply reply = api.get("/health/detailed");

      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      JsonNode body = reply.json();
      assertThat(body.get("status").asText()).isEqualTo("healthy");
      assertThat(body.get("timestamp").asText()).endsWith("Z");
      assertThat(body.get("uptime_seconds").asDouble()).isNotNegative();
      assertThat(body.get("phase").asText()).isEqualTo("ready");
      assertThat(body.get("checks").fieldNames()).toIterable().containsExactlyElementsOf(
          List.of("store", "disk", "memory", "cpu", "dispatcher", "backlog", "redis"));
      body.get("checks").fields().forEachRemaining(check -> {
        JsonNode c = check.getValue();
        assertThat(c.get("status").asText()).as(check.getKey()).isEqualTo("healthy");
        assertThat(c.get("message").asText()).as(check.getKey()).isNotBlank();
        assertThat(c.get("latency_ms").isNumber()).as(check.getKey()).isTrue();
        assertThat(c.get("details").isObject()).as(check.getKey()).isTrue();
      });
      assertThat(body.get("checks").get("disk").get("details").get("free_bytes").asLong()).isPositive();
    }

    @Test
    void detailed_health_shows_the_cpu_figures_as_information_without_a_warning_load() {
      JsonNode cpu = api.get("/health/detailed").json().get("checks").get("cpu");

      assertThat(cpu.get("status").asText()).isEqualTo("healthy");
      assertThat(cpu.get("message").asText()).containsPattern("^process \\d+ %, system \\d+ % of \\d+ processors$");
      JsonNode details = cpu.get("details");
      assertThat(details.get("process_cpu_load").asDouble()).isBetween(0.0, 1.0);
      assertThat(details.get("system_cpu_load").isNumber()).isTrue();
      assertThat(details.get("available_processors").asInt()).isPositive();
      assertThat(details.has("warn_load")).isFalse();
    }

    @Test
    void health_answers_the_status_only() {
      Reply reply = api.get("/health");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().fieldNames()).toIterable().containsExactly("status");
      assertThat(reply.json().get("status").asText()).isEqualTo("healthy");
    }

    @Test
    void readiness_is_false_while_starting_and_true_once_ready() {
      var settings = new HttpSettings("127.0.0.1", 0, null, List.of(), 2048, 1024, Duration.ofSeconds(30));
      HttpApi starting = HttpApi.start(server.vigil(), settings, () -> {}, Observability.NONE);
      try {
        var client = new ApiClient("http://127.0.0.1:" + starting.port(), null);

        Reply before = client.get("/health/ready");
        assertThat(before.status()).isEqualTo(503);
        assertThat(before.json().get("status").asText()).isEqualTo("unhealthy");
        assertThat(before.json().get("phase").asText()).isEqualTo("starting");
        assertThat(client.get("/health").status()).isEqualTo(503);
        assertThat(client.get("/health/live").status()).isEqualTo(200);

        starting.ready();

        assertThat(client.get("/health/ready").status()).isEqualTo(200);
        assertThat(client.get("/metrics").status()).isEqualTo(404);
      } finally {
        starting.stop();
      }
    }
  }

  @Nested
  class WithProbesThatCarrySecrets extends ServerTestSupport {
    private final ServerSocket redis = listening();
    private final int llm = closedPort();

    @AfterEach
    void closeRedis() throws IOException {
      redis.close();
    }

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.health(
          steady(
              List.of(
                  ProbeSpec.tcp("redis", "localhost:" + redis.getLocalPort(), Duration.ofSeconds(30)),
                  ProbeSpec.http(
                      "llm",
                      "http://user:secret@127.0.0.1:" + llm + "/path/with/token-4711?key=k-0815",
                      Duration.ofMillis(500)))));
    }

    @Test
    void detailed_health_shows_a_probe_by_name_scheme_host_and_port_and_never_a_credential_path_or_query() {
      Reply reply = api.get("/health/detailed");

      JsonNode checks = reply.json().get("checks");
      assertThat(checks.get("llm").get("details").get("target").asText()).isEqualTo("http://127.0.0.1:" + llm);
      assertThat(checks.get("redis").get("details").get("target").asText())
          .isEqualTo("tcp://localhost:" + redis.getLocalPort());
      assertThat(reply.text()).doesNotContain("user", "secret", "/path", "token-4711", "key=", "k-0815");
    }

    @Test
    void no_health_answer_shows_a_file_system_path() {
      String data = dataDir.toAbsolutePath().toString();
      for (String path : List.of("/health", "/health/live", "/health/ready", "/health/detailed")) {
        Reply reply = api.get(path);

        assertThat(reply.text()).as(path).doesNotContain(data, dataDir.getFileName().toString());
      }
      JsonNode disk = api.get("/health/detailed").json().get("checks").get("disk");
      assertThat(disk.get("details").has("path")).isFalse();
      assertThat(disk.get("details").get("free_bytes").asLong()).isPositive();
    }
  }

  @Nested
  class WithACpuWarningLoad extends ServerTestSupport {
    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.health(steady(List.of()).withCpuWarnLoad(OptionalDouble.of(1.0)));
    }

    @Test
    void an_opt_in_warning_load_is_shown_beside_the_cpu_figures() {
      JsonNode cpu = api.get("/health/detailed").json().get("checks").get("cpu");

      assertThat(cpu.get("details").get("warn_load").asDouble()).isEqualTo(1.0);
      assertThat(cpu.get("details").has("process_cpu_load")).isTrue();
      assertThat(cpu.get("status").asText()).as("no process uses more than the whole machine").isEqualTo("healthy");
    }
  }

  @Nested
  class WithADependencyDown extends ServerTestSupport {
    private final int neo4j = closedPort();

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.health(steady(List.of(ProbeSpec.tcp("neo4j", "127.0.0.1:" + neo4j, Duration.ofMillis(500)))));
    }

    @Test
    void a_probe_to_a_closed_port_makes_the_node_unhealthy_but_leaves_it_live_and_ready() {
      Reply detailed = api.get("/health/detailed");

      assertThat(detailed.status()).isEqualTo(503);
      assertThat(detailed.json().get("status").asText()).isEqualTo("unhealthy");
      JsonNode probe = detailed.json().get("checks").get("neo4j");
      assertThat(probe.get("status").asText()).isEqualTo("unhealthy");
      assertThat(probe.get("message").asText()).startsWith("cannot connect");
      assertThat(probe.get("details").get("target").asText()).isEqualTo("tcp://127.0.0.1:" + neo4j);
      for (String name : STANDARD) {
        assertThat(detailed.json().get("checks").get(name).get("status").asText()).as(name).isEqualTo("healthy");
      }
      assertThat(api.get("/health").status()).isEqualTo(503);
      assertThat(api.get("/health").json().get("status").asText()).isEqualTo("unhealthy");
      assertThat(api.get("/health/live").status()).isEqualTo(200);
      assertThat(api.get("/health/ready").status()).isEqualTo(200);
    }
  }
}
