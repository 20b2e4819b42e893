package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.observe.health.HealthSettings;
import dev.vigil.observe.health.ProbeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metrics.*} and {@code health.*} keys. */
class ObserveConfigTest {
  @TempDir Path dir;

  private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
    return ServerConfig.load(Files.writeString(dir.resolve("vigil.yaml"), yaml), env);
  }

  @Test
  void by_default_prometheus_and_the_jvm_meters_are_on_and_influx_and_otlp_off() throws IOException {
    ServerConfig c = load("{}", Map.of());

    assertThat(c.metrics()).isEqualTo(MetricsSettings.DEFAULTS);
    assertThat(c.metrics().influx().enabled()).isFalse();
    assertThat(c.metrics().otlp().enabled()).isFalse();
    assertThat(c.health()).isEqualTo(HealthSettings.DEFAULTS);
  }

  @Test
  void influx_and_otlp_are_switched_on_by_configuration_and_their_secrets_never_printed() throws IOException {
    ServerConfig c =
        load(
            """
            metrics:
              influx:
                enabled: true
                uri: http://influx.internal:8086
                org: acme
                bucket: vigil
                token: influx-secret-token
                step_ms: 5000
              otlp:
                enabled: true
                url: http://collector:4318/v1/metrics
                headers: "Authorization=Bearer otlp-secret"
            """,
            Map.of("VIGIL_METRICS_INFLUX_DB", "jobs", "VIGIL_METRICS_OTLP_STEP_MS", "30000"));

    MetricsSettings m = c.metrics();
    assertThat(m.influx().enabled()).isTrue();
    assertThat(m.influx().uri()).isEqualTo("http://influx.internal:8086");
    assertThat(m.influx().db()).isEqualTo("jobs");
    assertThat(m.influx().org()).isEqualTo("acme");
    assertThat(m.influx().step()).isEqualTo(Duration.ofSeconds(5));
    assertThat(m.otlp().enabled()).isTrue();
    assertThat(m.otlp().url()).isEqualTo("http://collector:4318/v1/metrics");
    assertThat(m.otlp().step()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.toString()).doesNotContain("influx-secret-token").doesNotContain("otlp-secret");
  }

  @Test
  void health_thresholds_and_probes_are_read_from_the_file_and_the_environment() throws IOException {
    ServerConfig c =
        load(
            """
            health:
              disk_min_free_bytes: 1000
              disk_warn_free_bytes: 5000
              memory_max_used_ratio: 0.97
              backlog_degraded_ratio: 0.5
              dispatcher_stall_ms: 60000
              probes:
                - {name: redis, tcp: "redis.internal:6379", timeout_ms: 300}
                - {name: llm, http: "https://api.example.com/v1/models"}
            """,
            Map.of("VIGIL_HEALTH_CPU_WARN_LOAD", "0.75"));

    HealthSettings h = c.health();
    assertThat(h.diskMinFreeBytes()).isEqualTo(1000);
    assertThat(h.diskWarnFreeBytes()).isEqualTo(5000);
    assertThat(h.memoryMaxUsedRatio()).isEqualTo(0.97);
    assertThat(h.backlogDegradedRatio()).isEqualTo(0.5);
    assertThat(h.dispatcherStallAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(h.cpuWarnLoad()).hasValue(0.75);
    assertThat(h.probes())
        .containsExactly(
            ProbeSpec.tcp("redis", "redis.internal:6379", Duration.ofMillis(300)),
            ProbeSpec.http("llm", "https://api.example.com/v1/models", ProbeSpec.DEFAULT_TIMEOUT));
  }

  @Test
  void the_cpu_load_is_information_only_unless_a_warning_load_is_set_in_the_file_or_the_environment()
      throws IOException {
    assertThat(load("{}", Map.of()).health().cpuWarnLoad()).isEmpty();
    assertThat(load("health:\n  cpu_warn_load: null\n", Map.of()).health().cpuWarnLoad()).isEmpty();
    assertThat(load("health:\n  cpu_warn_load: 0.8\n", Map.of()).health().cpuWarnLoad()).hasValue(0.8);
    assertThat(load("health:\n  cpu_warn_load: 0.8\n", Map.of("VIGIL_HEALTH_CPU_WARN_LOAD", "0.95")).health().cpuWarnLoad())
        .hasValue(0.95);
    assertThat(load("health:\n  cpu_warn_load: 0.8\n", Map.of("VIGIL_HEALTH_CPU_WARN_LOAD", "")).health().cpuWarnLoad())
        .hasValue(0.8);
  }

  @Test
  void bad_values_are_refused_naming_the_key_or_the_variable() {
    assertRefused("metrics:\n  influx:\n    urll: x\n", Map.of(), "metrics.influx.urll: unknown key");
    assertRefused("metrics:\n  otlp:\n    url: collector:4318\n", Map.of(), "metrics.otlp.url: must be an http:// or https:// URL");
    assertRefused("health:\n  memory_max_used_ratio: 1.5\n", Map.of(), "health.memory_max_used_ratio: must be above 0 and at most 1");
    assertRefused(
        "health:\n  disk_min_free_bytes: 10\n  disk_warn_free_bytes: 5\n",
        Map.of(),
        "health.disk_warn_free_bytes: must be at least disk_min_free_bytes");
    assertRefused("health:\n  cpu_warn_load: 0\n", Map.of(), "health.cpu_warn_load: must be above 0 and at most 1");
    assertRefused("{}", Map.of("VIGIL_HEALTH_CPU_WARN_LOAD", "high"), "VIGIL_HEALTH_CPU_WARN_LOAD (health.cpu_warn_load): must be a number (got 'high')");
    assertRefused("health:\n  probes:\n    - {name: redis}\n", Map.of(), "health.probes[0]: give exactly one of tcp (host:port) or http (a URL)");
    assertRefused("health:\n  probes:\n    - {name: redis, tcp: redis}\n", Map.of(), "health.probes[0].tcp: must be host:port");
    assertRefused("health:\n  probes:\n    - {name: store, tcp: \"db:5432\"}\n", Map.of(), "health.probes[0].name: 'store' is the name of a standard check");
  }

  private void assertRefused(String yaml, Map<String, String> env, String message) {
    assertThatThrownBy(() -> load(yaml, env)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
