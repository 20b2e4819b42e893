package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.PostgresSettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.store.StoreException;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ServerCommandTest {
  private static final String SECRET = "hunter2-never-printed";

  @Test
  void a_database_that_does_not_answer_stops_the_start_in_one_line_without_the_password() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ServerConfig config =
        ServerConfig.builder()
            .port(0)
            .store(ServerConfig.StoreKind.POSTGRES)
            .postgres(
                PostgresSettings.DEFAULTS
                    .withUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/vigil?connectTimeout=2")
                    .withCredentials("vigil", SECRET))
            .build();

    assertThatThrownBy(() -> VigilServer.start(config)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> ServerCommand.start(config, engine -> {}, "pick another port"))
        .isInstanceOf(CliException.class)
        .satisfies(e -> assertThat(e.getMessage()).startsWith("cannot start the server (").doesNotContain("\n").doesNotContain(SECRET))
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.FAILURE));
  }
}
