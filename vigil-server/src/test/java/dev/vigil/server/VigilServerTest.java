package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilServerTest {
  @TempDir Path dataDir;

  @Test
  void a_non_loopback_host_without_a_token_is_refused_before_anything_starts() {
    ServerConfig config = ServerConfig.builder().host("0.0.0.0").port(0).dataDir(dataDir.resolve("d")).build();

    assertThatThrownBy(() -> VigilServer.start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.host: listening on 0.0.0.0 (not a loopback address) requires server.api_token");
    assertThat(Files.exists(dataDir.resolve("d"))).isFalse();
  }

  @Test
  void a_non_loopback_host_with_a_token_starts_and_reports_a_reachable_url() {
    ServerConfig config =
        ServerConfig.builder().host("0.0.0.0").port(0).dataDir(dataDir).apiToken("0123456789abcdef0123").build();

    try (VigilServer server = VigilServer.start(config)) {
      assertThat(server.port()).isPositive();
      assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
      var api = new ApiClient(server.url(), "0123456789abcdef0123");
      assertThat(api.get("/health/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void a_port_in_use_is_a_config_error_naming_server_port() {
    ServerConfig first = ServerConfig.builder().port(0).dataDir(dataDir.resolve("a")).build();
    try (VigilServer server = VigilServer.start(first)) {
      ServerConfig second = ServerConfig.builder().port(server.port()).dataDir(dataDir.resolve("b")).build();

      assertThatThrownBy(() -> VigilServer.start(second))
          .isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("server.port"))
          .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
    }
  }

  @Test
  void the_database_lives_in_the_data_directory() {
    try (VigilServer server = VigilServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build())) {
      assertThat(dataDir.resolve("vigil.db")).exists();
      assertThat(server.vigil()).isNotNull();
    }
  }
}
