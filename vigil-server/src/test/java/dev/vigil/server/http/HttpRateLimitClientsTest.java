package dev.vigil.server.http;

import static dev.vigil.server.http.HttpRateLimitsTest.remaining;
import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.ApiClient;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.server.http.HttpLimitSettings.Quota;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who a client is, and when the limits are on without being asked: off on a loopback address, on
 * elsewhere; the API token is one client, each remote address without it another.
 */
class HttpRateLimitClientsTest {
  private static final String TOKEN = "limits-token-0123456789";
  private static final HttpLimitSettings TWO_READS =
      new HttpLimitSettings(true, Quota.parse("2/1h"), Quota.parse("2/1h"), Quota.parse("2/1h"));

  @TempDir Path dataDir;

  private VigilServer start(ServerConfig.Builder b) {
    return VigilServer.start(b.port(0).dataDir(dataDir).build());
  }

  @Test
  void limits_are_off_by_default_on_a_loopback_address() {
    try (VigilServer server = start(ServerConfig.builder().host("127.0.0.1"))) {
      var api = new ApiClient(server.url(), null);

      for (int i = 0; i < 30; i++) {
        Reply reply = api.get("/api/v1/jobs");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("RateLimit")).isNull();
        assertThat(reply.header("RateLimit-Policy")).isNull();
      }
    }
  }

  @Test
  void limits_are_on_by_default_on_any_other_address() {
    try (VigilServer server = start(ServerConfig.builder().host("0.0.0.0").apiToken(TOKEN))) {
      var api = new ApiClient(server.url(), TOKEN);

      Reply read = api.get("/api/v1/jobs");
      Reply write = api.post("/api/v1/lanes/background/pause");
      Reply claim = api.post("/api/v1/claim", "{\"worker_id\":\"w\",\"lanes\":[\"social\"],\"wait_ms\":0}");

      assertThat(read.header("RateLimit-Policy")).isEqualTo("\"read\";q=1200;w=60");
      assertThat(remaining(read, "read")).isEqualTo(1199);
      assertThat(write.header("RateLimit-Policy")).isEqualTo("\"write\";q=600;w=60");
      assertThat(claim.header("RateLimit-Policy")).isEqualTo("\"claim\";q=6000;w=60");
    }
  }

  @Test
  void the_api_token_is_one_client_and_a_request_without_it_is_counted_by_its_address() {
    ServerConfig.Builder config =
        ServerConfig.builder().host("0.0.0.0").apiToken(TOKEN).openPaths(List.of("/api/v1/lanes")).httpLimits(TWO_READS);
    try (VigilServer server = start(config)) {
      var withToken = new ApiClient(server.url(), TOKEN);
      var anonymous = new ApiClient(server.url(), null);
      withToken.get("/api/v1/lanes");
      withToken.get("/api/v1/jobs");

      Reply tokenRefused = withToken.get("/api/v1/lanes");
      Reply anonymousServed = anonymous.get("/api/v1/lanes");

      assertProblem(tokenRefused, 429);
      assertThat(anonymousServed.status()).isEqualTo(200);
      assertThat(remaining(anonymousServed, "read")).isEqualTo(1);
    }
  }

  @Test
  void two_remote_addresses_are_two_clients() throws Exception {
    InetAddress second = InetAddress.getByName("127.0.0.2");
    Assumptions.assumeTrue(canConnectFrom(second), "this system cannot send from 127.0.0.2");
    try (VigilServer server = start(ServerConfig.builder().host("127.0.0.1").httpLimits(TWO_READS))) {
      var first = new ApiClient(server.url(), null);
      first.get("/api/v1/jobs");
      first.get("/api/v1/jobs");
      assertProblem(first.get("/api/v1/jobs"), 429);

      HttpClient fromSecond = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(second).build();
      var answer =
          fromSecond.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/jobs")).timeout(Duration.ofSeconds(30)).build(),
              BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("RateLimit").orElseThrow()).matches("\"read\";r=1;t=\\d+");
    }
  }

  private static boolean canConnectFrom(InetAddress local) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(local, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
