package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.server.ApiClient;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Clients that open connections and never finish a request's headers (slowloris) are cut off
 * after the header timeout and held to the connection limit, while a long-polling claim keeps its
 * own long wait.
 */
class SlowClientsTest {
  private static final byte[] HALF_A_REQUEST_LINE = "GET /api/v1/sta".getBytes(StandardCharsets.US_ASCII);

  /** Connections a test opened, closed after it. */
  private final List<Socket> opened = new ArrayList<>();

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : opened) {
      s.close();
    }
  }

  /** A client that connects and sends half a request line, then nothing. */
  private Socket slowClient(int port) {
    try {
      Socket s = new Socket();
      opened.add(s);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.getOutputStream().write(HALF_A_REQUEST_LINE);
      s.getOutputStream().flush();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server closed {@code s}: a read ends (or is reset) instead of waiting. */
  private static boolean closedByServer(Socket s) {
    try {
      s.setSoTimeout(20);
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Nested
  class WithAShortHeaderTimeout extends ServerTestSupport {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(800);

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.headerTimeout(HEADER_TIMEOUT);
    }

    @Test
    void a_client_that_sends_half_a_request_line_is_disconnected_after_the_header_timeout() {
      long start = System.nanoTime();
      Socket slow = slowClient(server.port());

      await().atMost(Duration.ofSeconds(30)).until(() -> closedByServer(slow));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HEADER_TIMEOUT);
    }

    @Test
    void a_client_that_dribbles_its_headers_is_disconnected_too() {
      Socket slow = slowClient(server.port());
      OutputStream out;
      try {
        out = slow.getOutputStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }

      // one more byte of a header line every 100 ms: never idle for long, never done
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  out.write('t');
                  out.flush();
                } catch (IOException closed) {
                  return true;
                }
                return closedByServer(slow);
              });
    }

    @Test
    void a_long_poll_claim_waits_longer_than_the_header_timeout() {
      long start = System.nanoTime();

      var reply = api.post("/api/v1/claim", "{\"worker_id\":\"w1\",\"lanes\":[\"background\"],\"max\":1,\"wait_ms\":2000}");

      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.json().get("jobs")).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2000));
    }
  }

  @Nested
  class WithManySlowClients extends ServerTestSupport {
    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.maxConnections(60).headerTimeout(Duration.ofSeconds(60));
    }

    @Test
    void a_normal_client_is_served_while_fifty_slow_ones_hold_their_connections() {
      List<Socket> slow = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        slow.add(slowClient(server.port()));
      }

      var fresh = new ApiClient(server.url(), null);
      assertThat(fresh.get("/api/v1/stats").status()).isEqualTo(200);
      assertThat(fresh.post("/api/v1/jobs", "{\"type\":\"t\"}").status()).isEqualTo(201);
      assertThat(slow).noneMatch(SlowClientsTest::closedByServer);
    }
  }

  @Nested
  class AtTheConnectionLimit extends ServerTestSupport {
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.maxConnections(5).headerTimeout(HEADER_TIMEOUT);
    }

    @Test
    void a_connection_beyond_the_limit_waits_until_a_slow_one_is_cut_off() {
      List<Socket> slow = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        slow.add(slowClient(server.port()));
      }
      long sent = System.nanoTime();
      CompletableFuture<RawHttp.Answer> waiting =
          CompletableFuture.supplyAsync(
              () -> RawHttp.request(server.port(), "GET", "/health/live", null, "Host: 127.0.0.1"));

      await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);

      assertThat(waiting.join().status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - sent))
          .as("served only once the header timeout freed a connection")
          .isGreaterThanOrEqualTo(HEADER_TIMEOUT.dividedBy(2));
      assertThat(slow).anyMatch(SlowClientsTest::closedByServer);
    }
  }
}
