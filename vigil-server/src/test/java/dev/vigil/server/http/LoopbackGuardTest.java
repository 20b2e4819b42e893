package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.server.http.RawHttp.Answer;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Without a token (the loopback default), a browser on the same machine is the one client that
 * can reach the server uninvited: through DNS rebinding (a page of attacker.example whose name
 * now resolves to 127.0.0.1) or a cross-site request. Raw requests, since the JDK's clients
 * will not send another Host.
 */
class LoopbackGuardTest {
  private static final String JOB = "{\"type\":\"t\",\"payload\":{\"secret\":\"s-4711\"}}";

  private static void assertForbidden(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    JsonNode p = answer.json();
    assertThat(p.get("status").asInt()).isEqualTo(403);
    assertThat(p.get("type").asText()).startsWith("https://vigil.dev/problems/");
    assertThat(p.get("detail").asText()).isNotBlank();
  }

  @Nested
  class WithoutAToken extends ServerTestSupport {
    private Answer post(String... headers) {
      return RawHttp.request(server.port(), "POST", "/api/v1/jobs", JOB, headers);
    }

    private Answer get(String path, String... headers) {
      return RawHttp.request(server.port(), "GET", path, null, headers);
    }

    private long storedJobs() {
      return api.get("/api/v1/stats").json().get("jobs").get("total").asLong();
    }

    @Test
    void a_rebound_host_name_cannot_enqueue() {
      int port = server.port();

      assertForbidden(post("Host: attacker.example:" + port, "Origin: http://attacker.example:" + port));
      assertForbidden(post("Host: attacker.example:" + port));
      assertThat(storedJobs()).isZero();
    }

    @Test
    void a_rebound_host_name_cannot_read_payloads() {
      String id = api.post("/api/v1/jobs", JOB).json().get("id").asText();

      for (String path : List.of("/api/v1/jobs/" + id, "/api/v1/jobs", "/health/detailed")) {
        Answer answer = get(path, "Host: attacker.example:" + server.port());

        assertForbidden(answer);
        assertThat(answer.body()).doesNotContain("s-4711", "background", "\"checks\"");
      }
    }

    @Test
    void loopback_names_and_addresses_are_served_with_or_without_a_port() {
      int port = server.port();
      for (String host :
          List.of("localhost", "localhost:" + port, "LocalHost:" + port, "127.0.0.1", "127.0.0.1:" + port,
              "127.1.2.3:" + port, "[::1]", "[::1]:" + port)) {
        assertThat(get("/api/v1/stats", "Host: " + host).status()).as(host).isEqualTo(200);
      }
      assertThat(post("Host: localhost:" + port).status()).isEqualTo(201);
    }

    @Test
    void names_that_only_look_loopback_are_refused() {
      int port = server.port();
      for (String host :
          List.of("localhost.attacker.example:" + port, "127.0.0.1.nip.io:" + port, "attacker.example",
              "2130706433:" + port, "0x7f.0.0.1:" + port, "0127.0.0.1:" + port, "[::ffff:7f00:1]:" + port,
              "[::2]:" + port, "127.0.0.256", "0.0.0.0:" + port)) {
        assertForbidden(get("/api/v1/stats", "Host: " + host));
      }
      for (String malformed : List.of("127.0.0.1:" + port + ":80", "localhost:http", "localhost:99999", "attacker.example@127.0.0.1")) {
        Answer answer = get("/api/v1/stats", "Host: " + malformed);

        assertThat(answer.status()).as(malformed).isIn(400, 403);
        assertThat(answer.header("Content-Type")).as(malformed).startsWith("application/problem+json");
      }
    }

    @Test
    void a_cross_site_origin_is_refused_even_on_a_loopback_host() {
      String host = "Host: 127.0.0.1:" + server.port();

      assertForbidden(post(host, "Origin: https://evil.example"));
      assertForbidden(post(host, "Origin: null"));
      assertForbidden(post(host, "Origin: http://localhost.evil.example:" + server.port()));
      assertForbidden(get("/api/v1/jobs", host, "Origin: https://evil.example"));
      assertThat(storedJobs()).isZero();
    }

    @Test
    void a_loopback_origin_on_any_port_is_served() {
      String host = "Host: 127.0.0.1:" + server.port();

      assertThat(post(host, "Origin: http://localhost:3000").status()).isEqualTo(201);
      assertThat(post(host, "Origin: http://127.0.0.1:" + server.port()).status()).isEqualTo(201);
      assertThat(post(host, "Origin: http://[::1]:5173").status()).isEqualTo(201);
      assertThat(storedJobs()).isEqualTo(3);
    }
  }

  @Nested
  class WithAToken extends ServerTestSupport {
    private static final String TOKEN = "s3cret-token-0123456789";

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.apiToken(TOKEN);
    }

    @Test
    void the_token_decides_and_any_host_is_served() {
      Answer answer =
          RawHttp.request(server.port(), "GET", "/api/v1/stats", null, "Host: vigil.internal:8080", "Authorization: Bearer " + TOKEN);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }
  }
}
