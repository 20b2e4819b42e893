package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.observe.health.HealthSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), text);
  }

  private static ServerConfig load(Path file, Map<String, String> env) {
    return ServerConfig.load(file, env);
  }

  private void assertRefused(String yaml, Map<String, String> env, String message) throws IOException {
    assertThatThrownBy(() -> load(yaml(yaml), env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void without_a_file_or_environment_every_default_applies() {
    ServerConfig c = load(null, Map.of());

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.apiToken()).isNull();
    assertThat(c.openPaths()).containsExactly("/health/live", "/metrics");
    assertThat(c.maxBodyBytes()).isEqualTo(2L << 20);
    assertThat(c.maxConnections()).isEqualTo(1_000);
    assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.dataDir()).isEqualTo(Path.of("vigil-data"));
    assertThat(c.workers()).isEqualTo(16);
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxPayloadBytes()).isEqualTo(1 << 20);
    assertThat(c.defaultTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.retry().maxAttempts()).isEqualTo(3);
    assertThat(c.lanes()).isEqualTo(Lane.DEFAULTS);
    assertThat(c).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void every_key_is_read_from_the_file() throws IOException {
    ServerConfig c =
        load(
            yaml(
                """
                server:
                  host: 0.0.0.0
                  port: 9090
                  api_token: abcdefghijklmnopqrstuvwxyz
                  open_paths: [/health/live, /health/ready]
                  max_body_bytes: 5000000
                  max_connections: 250
                  header_timeout_ms: 15000
                data_dir: /var/lib/vigil
                engine:
                  workers: 4
                  lease_ms: 60000
                  shutdown_grace_ms: 5000
                  max_payload_bytes: 2000000
                  default_timeout_ms: 30000
                retry:
                  max_attempts: 5
                  base_ms: 1000
                  cap_ms: 60000
                lanes:
                  - {name: chat, weight: 10, reserved: 0}
                  - name: dreams
                    weight: 1
                    max_concurrency: 2
                    reserved: 1
                    capacity: 500
                    paused: true
                """),
            Map.of());

    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.apiToken()).isEqualTo("abcdefghijklmnopqrstuvwxyz");
    assertThat(c.openPaths()).containsExactly("/health/live", "/health/ready");
    assertThat(c.maxBodyBytes()).isEqualTo(5_000_000);
    assertThat(c.maxConnections()).isEqualTo(250);
    assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/vigil"));
    assertThat(c.workers()).isEqualTo(4);
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxPayloadBytes()).isEqualTo(2_000_000);
    assertThat(c.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.retry().maxAttempts()).isEqualTo(5);
    assertThat(c.retry().base()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.retry().cap()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.lanes())
        .containsExactly(new Lane("chat", 10, Lane.UNLIMITED, 0, 10_000, false), new Lane("dreams", 1, 2, 1, 500, true));
  }

  @Test
  void environment_variables_win_over_the_file() throws IOException {
    Path file = yaml("server:\n  port: 9090\n  host: 127.0.0.1\nengine:\n  workers: 4\n");
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("VIGIL_PORT", "7070"),
            Map.entry("VIGIL_HOST", "::1"),
            Map.entry("VIGIL_DATA_DIR", "/tmp/v"),
            Map.entry("VIGIL_API_TOKEN", "0123456789abcdef0123"),
            Map.entry("VIGIL_WORKERS", "32"),
            Map.entry("VIGIL_MAX_PAYLOAD_BYTES", "4096"),
            Map.entry("VIGIL_MAX_BODY_BYTES", "8192"),
            Map.entry("VIGIL_MAX_CONNECTIONS", "64"),
            Map.entry("VIGIL_HEADER_TIMEOUT_MS", "5000"),
            Map.entry("VIGIL_SHUTDOWN_GRACE_MS", "1000"),
            Map.entry("VIGIL_LEASE_MS", "5000"),
            Map.entry("VIGIL_DEFAULT_TIMEOUT_MS", "2000"),
            Map.entry("VIGIL_RETRY_MAX_ATTEMPTS", "7"),
            Map.entry("VIGIL_RETRY_BASE_MS", "10"),
            Map.entry("VIGIL_RETRY_CAP_MS", "20"),
            Map.entry("VIGIL_OPEN_PATHS", "/health/live, /health/ready,/metrics"),
            Map.entry("UNRELATED", "x"));

    ServerConfig c = load(file, env);

    assertThat(c.port()).isEqualTo(7070);
    assertThat(c.host()).isEqualTo("::1");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/v"));
    assertThat(c.apiToken()).isEqualTo("0123456789abcdef0123");
    assertThat(c.workers()).isEqualTo(32);
    assertThat(c.maxPayloadBytes()).isEqualTo(4096);
    assertThat(c.maxBodyBytes()).isEqualTo(8192);
    assertThat(c.maxConnections()).isEqualTo(64);
    assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.defaultTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.retry().maxAttempts()).isEqualTo(7);
    assertThat(c.openPaths()).containsExactly("/health/live", "/health/ready", "/metrics");
  }

  @Test
  void a_command_s_own_defaults_hold_for_every_key_the_file_and_the_environment_leave_unset() throws IOException {
    var health = HealthSettings.DEFAULTS.withCpuWarnLoad(OptionalDouble.of(0.5));
    ServerConfig.Builder own =
        ServerConfig.builder()
            .shutdownGrace(Duration.ofSeconds(3))
            .workers(4)
            .retry(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(2)))
            .health(health);

    ServerConfig c = ServerConfig.load(yaml("engine:\n  workers: 8\n"), Map.of("VIGIL_PORT", "7070"), own);
    ServerConfig graceSet =
        ServerConfig.load(yaml("engine:\n  shutdown_grace_ms: 10000\nretry:\n  max_attempts: 2\n"), Map.of(), own);

    assertThat(c.port()).isEqualTo(7070);
    assertThat(c.workers()).isEqualTo(8);
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(2)));
    assertThat(c.health()).isEqualTo(health);
    assertThat(c.dataDir()).isEqualTo(Path.of("vigil-data"));
    assertThat(graceSet.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(graceSet.retry().maxAttempts()).isEqualTo(2);
    assertThat(graceSet.retry().base()).isEqualTo(Duration.ofSeconds(1));
    assertThat(own.build().workers()).as("the defaults are left unchanged").isEqualTo(4);
    assertThat(own.build().port()).isEqualTo(8080);
  }

  @Test
  void claim_bounds_come_from_the_file_and_the_environment_and_must_fit_the_lease() throws IOException {
    assertThat(load(null, Map.of()).claims()).isEqualTo(ClaimSettings.DEFAULTS);
    ServerConfig c =
        load(
            yaml("claims:\n  max_lease_ms: 120000\n  max_waiting: 50\n  max_waiting_per_worker: 4\n"),
            Map.of("VIGIL_CLAIMS_MAX_WAITING", "60"));
    assertThat(c.claims()).isEqualTo(new ClaimSettings(Duration.ofMinutes(2), 60, 4));

    assertRefused(
        "engine:\n  lease_ms: 60000\nclaims:\n  max_lease_ms: 30000\n", Map.of(),
        "engine.lease_ms: must not be longer than claims.max_lease_ms (30000)");
    assertRefused("claims:\n  max_waiting: 0\n", Map.of(), "claims.max_waiting: must be between 1 and 1000000 (got 0)");
    assertRefused(
        "claims:\n  max_waiting: 5\n  max_waiting_per_worker: 6\n", Map.of(),
        "claims.max_waiting_per_worker: must be between 1 and claims.max_waiting (got 6)");
    assertRefused("claims:\n  wait: 1\n", Map.of(), "claims.wait: unknown key");
  }

  @Test
  void error_grouping_prefixes_come_from_the_file_and_the_environment() throws IOException {
    assertThat(load(null, Map.of()).errors()).isEqualTo(ErrorSettings.DEFAULTS);
    ServerConfig c =
        load(
            yaml("errors:\n  in_app_exclude: [com.acme.vendor.]\n  in_app_include: [dev.vigil.examples.]\n"),
            Map.of("VIGIL_ERRORS_IN_APP_INCLUDE", "com.acme.vendor.core.,dev.vigil.examples."));
    assertThat(c.errors())
        .isEqualTo(new ErrorSettings(List.of("com.acme.vendor."), List.of("com.acme.vendor.core.", "dev.vigil.examples.")));
    assertThat(c.errors().fingerprinter()).isNotNull();
    assertRefused("errors:\n  in_app_exclude: ['com acme']\n", Map.of(), "errors: an in-app prefix must be a non-empty name without spaces: 'com acme'");
    assertRefused("errors:\n  in_app: [x]\n", Map.of(), "errors.in_app: unknown key");
  }

  @Test
  void an_empty_environment_variable_counts_as_unset() {
    assertThat(load(null, Map.of("VIGIL_PORT", "")).port()).isEqualTo(8080);
  }

  @Test
  void the_body_cap_defaults_to_twice_the_payload_limit() {
    assertThat(load(null, Map.of("VIGIL_MAX_PAYLOAD_BYTES", "1000")).maxBodyBytes()).isEqualTo(2000);
  }

  @Test
  void a_port_out_of_range_names_the_key_and_the_value() throws IOException {
    assertRefused("server:\n  port: 70000\n", Map.of(), "server.port: must be between 0 and 65535 (got 70000)");
  }

  @Test
  void an_unknown_key_is_an_error() throws IOException {
    assertRefused("server:\n  prot: 8080\n", Map.of(), "server.prot: unknown key");
    assertRefused("engin:\n  workers: 2\n", Map.of(), "engin: unknown key");
    assertRefused("lanes:\n  - {name: a, wieght: 2}\n", Map.of(), "lanes[0].wieght: unknown key");
  }

  @Test
  void a_wrongly_typed_value_names_the_key() throws IOException {
    assertRefused("engine:\n  workers: many\n", Map.of(), "engine.workers: must be an integer (got 'many')");
    assertRefused("server:\n  open_paths: 5\n", Map.of(), "server.open_paths: must be a list of strings");
    assertRefused("server: 8080\n", Map.of(), "server: must be a mapping of keys");
  }

  @Test
  void a_bad_environment_value_names_the_variable_and_the_key() {
    assertThatThrownBy(() -> load(null, Map.of("VIGIL_PORT", "eighty")))
        .hasMessage("VIGIL_PORT (server.port): must be an integer (got 'eighty')");
    assertThatThrownBy(() -> load(null, Map.of("VIGIL_WORKERS", "0")))
        .hasMessage("VIGIL_WORKERS (engine.workers): must be between 1 and 10000 (got 0)");
  }

  @Test
  void values_out_of_range_are_refused() throws IOException {
    assertRefused("engine:\n  lease_ms: 10\n", Map.of(), "engine.lease_ms: must be between 1000 and 3600000 (got 10)");
    assertRefused("retry:\n  max_attempts: 0\n", Map.of(), "retry.max_attempts: must be between 1 and 100 (got 0)");
    assertRefused("retry:\n  base_ms: 100\n  cap_ms: 10\n", Map.of(), "retry.cap_ms: must be at least retry.base_ms (100) (got 10)");
    assertRefused(
        "server:\n  max_body_bytes: 10\n",
        Map.of(),
        "server.max_body_bytes: must be between engine.max_payload_bytes (1048576) and 1073741824 (got 10)");
    assertRefused(
        "server:\n  api_token: short\n", Map.of(), "server.api_token: must be at least 16 characters without spaces");
    assertRefused("server:\n  max_connections: 0\n", Map.of(), "server.max_connections: must be between 1 and 1000000 (got 0)");
    assertRefused(
        "server:\n  header_timeout_ms: 10\n", Map.of(), "server.header_timeout_ms: must be between 100 and 600000 (got 10)");
  }

  @Test
  void bad_lanes_name_the_lane_and_the_field() throws IOException {
    assertRefused("lanes: []\n", Map.of(), "lanes: at least one lane is required");
    assertRefused("lanes:\n  - {weight: 2}\n", Map.of(), "lanes[0].name: is required");
    assertRefused(
        "lanes:\n  - {name: Chat}\n",
        Map.of(),
        "lanes[0].name: must be lower-case letters, digits, '_' or '-', starting with a letter (got 'Chat')");
    assertRefused("lanes:\n  - {name: a}\n  - {name: b, weight: 0}\n", Map.of(), "lanes[1].weight: must be at least 1 (got 0)");
    assertRefused("lanes:\n  - {name: a}\n  - {name: a}\n", Map.of(), "lanes[1].name: duplicate lane 'a'");
  }

  @Test
  void lanes_take_load_settings_and_otherwise_the_defaults_of_their_name() throws IOException {
    ServerConfig c =
        load(
            yaml(
                """
                lanes:
                  - {name: cognition, weight: 8}
                  - {name: chat, weight: 4, target_wait: 500ms, protected: true}
                  - {name: background, weight: 1, max_ready: 50000, target_wait: 10m, protected: false}
                  - {name: batch, weight: 1, max_ready: unlimited}
                """),
            Map.of());

    Lane cognition = c.lanes().get(0);
    assertThat(cognition.targetWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(cognition.isProtected()).isTrue();
    assertThat(cognition.maxReady()).isEqualTo(Lane.UNLIMITED);
    assertThat(c.lanes().get(1).targetWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.lanes().get(1).isProtected()).isTrue();
    Lane background = c.lanes().get(2);
    assertThat(background.maxReady()).isEqualTo(50_000);
    assertThat(background.targetWait()).isEqualTo(Duration.ofMinutes(10));
    assertThat(background.isProtected()).isFalse();
    assertThat(c.lanes().get(3).maxReady()).isEqualTo(Lane.UNLIMITED);
    assertThat(c.lanes().get(3).targetWait()).as("a lane of another name").isEqualTo(Duration.ofSeconds(60));
    assertThat(c.lanes().get(3).isProtected()).isFalse();
  }

  @Test
  void bad_load_settings_of_a_lane_name_the_field() throws IOException {
    assertRefused(
        "lanes:\n  - {name: a, target_wait: 60}\n",
        Map.of(),
        "lanes[0].target_wait: must be a duration such as 500ms, 10s, 10m or 2h (got '60')");
    assertRefused(
        "lanes:\n  - {name: a, target_wait: soon}\n",
        Map.of(),
        "lanes[0].target_wait: must be a duration such as 500ms, 10s, 10m or 2h (got 'soon')");
    assertRefused("lanes:\n  - {name: a, target_wait: 0s}\n", Map.of(), "lanes[0].target_wait: must be at least 1ms (got '0s')");
    assertRefused("lanes:\n  - {name: a, max_ready: 0}\n", Map.of(), "lanes[0].max_ready: must be at least 1 (got 0)");
    assertRefused("lanes:\n  - {name: a, max_ready: lots}\n", Map.of(), "lanes[0].max_ready: must be an integer (got 'lots')");
    assertRefused("lanes:\n  - {name: a, protected: maybe}\n", Map.of(), "lanes[0].protected: must be true or false (got 'maybe')");
  }

  @Test
  void a_file_that_is_not_yaml_says_where() throws IOException {
    Path file = yaml("server:\n  port: [1, 2\n");

    assertThatThrownBy(() -> load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": not valid YAML at line")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void a_missing_file_is_an_error_when_named() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> load(missing, Map.of())).hasMessage(missing + ": no such file");
  }

  @Test
  void an_empty_file_means_the_defaults() throws IOException {
    Path file = yaml("");
    AlertSettings besideTheFile = new AlertSettings(
        true, file.toAbsolutePath().getParent().resolve("alerts.yaml"), AlertSettings.DEFAULTS.interval());

    assertThat(load(file, Map.of())).isEqualTo(ServerConfig.builder().alerts(besideTheFile).build());
  }

  @Test
  void the_token_never_appears_in_to_string() {
    ServerConfig c = ServerConfig.builder().apiToken("super-secret-token-value").build();

    assertThat(c.toString()).doesNotContain("super-secret-token-value");
  }

  @Test
  void an_open_path_that_covers_a_change_or_the_whole_api_is_refused_with_one_clear_line() throws IOException {
    String advice = " to anyone without the token; open only paths that change nothing, such as /health/live or /metrics";
    assertRefused(
        "server:\n  open_paths: [/health/live, /*]\n",
        Map.of(),
        "server.open_paths[1]: '/*' would open the whole API, changes included," + advice);
    assertRefused(
        "server:\n  open_paths: [/api/*]\n", Map.of(), "server.open_paths[0]: '/api/*' would open the whole API, changes included," + advice);
    assertRefused(
        "server:\n  open_paths: [/api/v1/jobs/*]\n",
        Map.of(),
        "server.open_paths[0]: '/api/v1/jobs/*' would open POST /api/v1/jobs, which changes state," + advice);
    assertRefused(
        "server:\n  open_paths: [/api/v1/jobs]\n",
        Map.of(),
        "server.open_paths[0]: '/api/v1/jobs' would open POST /api/v1/jobs, which changes state," + advice);
    assertRefused(
        "server:\n  open_paths: [/api/v1/lanes/cognition/pause]\n",
        Map.of(),
        "server.open_paths[0]: '/api/v1/lanes/cognition/pause' would open POST /api/v1/lanes/{name}/pause, which changes state,"
            + advice);
    assertRefused(
        "server:\n  open_paths: [/api/v1/schedules/daily]\n",
        Map.of(),
        "server.open_paths[0]: '/api/v1/schedules/daily' would open DELETE /api/v1/schedules/{name}, which changes state,"
            + advice);
    assertThatThrownBy(() -> load(null, Map.of("VIGIL_OPEN_PATHS", "/health/live,/api/v1/*")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.open_paths[1]: '/api/v1/*' would open the whole API, changes included," + advice);
  }

  @Test
  void read_only_open_paths_are_accepted() throws IOException {
    List<String> open = List.of("/health/*", "/metrics", "/api/openapi.json", "/api/v1/stats", "/api/v1/nodes", "/api/v1/lanes");

    assertThat(load(yaml("server:\n  open_paths: [" + String.join(", ", open) + "]\n"), Map.of()).openPaths())
        .containsExactlyElementsOf(open);
  }

  @Test
  void a_programmatic_config_is_checked_too() {
    assertThatThrownBy(() -> ServerConfig.builder().openPaths(List.of("health")).build())
        .hasMessage("server.open_paths[0]: must start with '/' (got 'health')");
    assertThatThrownBy(() -> ServerConfig.builder().openPaths(List.of("/api/v1/claim")).build())
        .hasMessageStartingWith("server.open_paths[0]: '/api/v1/claim' would open POST /api/v1/claim, which changes state");
  }

  @Test
  void the_store_is_sqlite_unless_postgres_is_asked_for_and_the_node_is_named_by_host_and_pid() {
    ServerConfig c = load(null, Map.of());

    assertThat(c.store()).isEqualTo(ServerConfig.StoreKind.SQLITE);
    assertThat(c.postgres()).isEqualTo(PostgresSettings.DEFAULTS);
    assertThat(c.postgres().poolSize()).isEqualTo(10);
    assertThat(c.postgres().statementTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.nodeId()).endsWith("-" + ProcessHandle.current().pid()).matches("[A-Za-z0-9][A-Za-z0-9._:@-]*");
  }

  @Test
  void postgres_is_read_from_the_file() throws IOException {
    ServerConfig c =
        load(
            yaml(
                """
                store: postgres
                node_id: web-1
                postgres:
                  url: jdbc:postgresql://db.internal:5432/vigil
                  listen_url: jdbc:postgresql://db-direct.internal:5432/vigil
                  user: vigil
                  password: s3cret-pass
                  pool_size: 20
                  statement_timeout_ms: 2000
                """),
            Map.of());

    assertThat(c.store()).isEqualTo(ServerConfig.StoreKind.POSTGRES);
    assertThat(c.nodeId()).isEqualTo("web-1");
    assertThat(c.postgres())
        .isEqualTo(
            new PostgresSettings(
                "jdbc:postgresql://db.internal:5432/vigil",
                "jdbc:postgresql://db-direct.internal:5432/vigil",
                "vigil",
                "s3cret-pass",
                20,
                Duration.ofSeconds(2)));
  }

  @Test
  void postgres_environment_variables_win_over_the_file() throws IOException {
    Path file = yaml("store: sqlite\npostgres:\n  pool_size: 3\n");
    Map<String, String> env =
        Map.of(
            "VIGIL_STORE", "postgres",
            "VIGIL_POSTGRES_URL", "jdbc:postgresql://localhost:5433/jobs",
            "VIGIL_POSTGRES_LISTEN_URL", "jdbc:postgresql://localhost:5432/jobs",
            "VIGIL_POSTGRES_USER", "app",
            "VIGIL_POSTGRES_PASSWORD", "from-the-env",
            "VIGIL_POSTGRES_POOL_SIZE", "4",
            "VIGIL_POSTGRES_STATEMENT_TIMEOUT_MS", "750",
            "VIGIL_NODE_ID", "worker-b");

    ServerConfig c = load(file, env);

    assertThat(c.store()).isEqualTo(ServerConfig.StoreKind.POSTGRES);
    assertThat(c.postgres())
        .isEqualTo(
            new PostgresSettings(
                "jdbc:postgresql://localhost:5433/jobs",
                "jdbc:postgresql://localhost:5432/jobs",
                "app",
                "from-the-env",
                4,
                Duration.ofMillis(750)));
    assertThat(c.nodeId()).isEqualTo("worker-b");
  }

  @Test
  void postgres_without_a_url_or_with_another_kind_of_url_is_refused_naming_the_key() throws IOException {
    assertRefused("store: postgres\n", Map.of(), "postgres.url: is required when store is postgres (VIGIL_POSTGRES_URL)");
    assertRefused(
        "store: postgres\npostgres:\n  url: jdbc:mysql://db/vigil\n",
        Map.of(),
        "postgres.url: must be a jdbc:postgresql://host:port/database URL");
    assertThatThrownBy(() -> load(null, Map.of("VIGIL_STORE", "postgres", "VIGIL_POSTGRES_URL", "postgres://db/vigil")))
        .hasMessage("VIGIL_POSTGRES_URL (postgres.url): must be a jdbc:postgresql://host:port/database URL");
    assertRefused("store: mysql\n", Map.of(), "store: must be sqlite or postgres (got 'mysql')");
  }

  @Test
  void a_postgres_url_with_the_sqlite_store_is_refused_rather_than_ignored() {
    assertThatThrownBy(() -> load(null, Map.of("VIGIL_POSTGRES_URL", "jdbc:postgresql://db/vigil")))
        .hasMessage(
            "VIGIL_POSTGRES_URL (postgres.url): is set but store is sqlite; set store: postgres (VIGIL_STORE=postgres) to use it");
  }

  @Test
  void pool_size_statement_timeout_and_node_id_out_of_range_are_refused() throws IOException {
    String pg = "store: postgres\npostgres:\n  url: jdbc:postgresql://db/vigil\n";
    assertRefused(pg + "  pool_size: 0\n", Map.of(), "postgres.pool_size: must be between 1 and 1000 (got 0)");
    assertRefused(
        pg + "  statement_timeout_ms: 0\n", Map.of(), "postgres.statement_timeout_ms: must be between 1 and 600000 (got 0)");
    assertRefused(pg + "  passwd: x\n", Map.of(), "postgres.passwd: unknown key");
    assertThatThrownBy(() -> load(null, Map.of("VIGIL_NODE_ID", "node one")))
        .hasMessageStartingWith("VIGIL_NODE_ID (node_id): must be 1 to 128 letters, digits");
  }

  @Test
  void the_postgres_password_is_never_printed() throws IOException {
    String secret = "pa55-w0rd-never-shown";
    ServerConfig c =
        load(
            null,
            Map.of(
                "VIGIL_STORE", "postgres",
                "VIGIL_POSTGRES_URL", "jdbc:postgresql://db/vigil?user=app&password=" + secret + "&ssl=true",
                "VIGIL_POSTGRES_PASSWORD", secret));

    assertThat(c.toString()).doesNotContain(secret).contains("password=***");
    assertThat(c.postgres().safeUrl()).isEqualTo("jdbc:postgresql://db/vigil?user=app&password=***&ssl=true");
    Path bad = yaml("store: postgres\npostgres:\n  url: jdbc:nope://db?password=" + secret + "\n");
    assertThatThrownBy(() -> load(bad, Map.of())).satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
  }
}
