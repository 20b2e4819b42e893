package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static dev.vigil.server.http.JobsApiTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ClaimSettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Long-polling claims do not outlive their workers: a claim whose connection closed stops
 * waiting and takes no work, waiting claims are bounded in all and per worker, and a lease is
 * at most {@code claims.max_lease_ms}.
 */
class GhostClaimTest extends ServerTestSupport {
  private final List<Socket> sockets = new ArrayList<>();

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.claims(new ClaimSettings(Duration.ofMinutes(10), 4, 2));
  }

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  /** Sends a claim on a raw connection and leaves it waiting; the caller may close it. */
  private Socket rawClaim(String worker) throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    sockets.add(s);
    byte[] body =
        ("{\"worker_id\":\"" + worker + "\",\"lanes\":[\"social\"],\"wait_ms\":60000,\"lease_ms\":600000}")
            .getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /api/v1/claim HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return s;
  }

  private CompletableFuture<Reply> waitingClaim(String worker) {
    return api.postAsync(
        "/api/v1/claim", "{\"worker_id\":\"" + worker + "\",\"lanes\":[\"social\"],\"wait_ms\":30000}");
  }

  @Test
  void a_claim_whose_worker_closed_its_connection_stops_waiting_and_takes_no_job() throws Exception {
    Socket ghost = rawClaim("ghost-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 1);

    ghost.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 0);
    assertThat(server.vigil().fleetSlots()).as("the ghost left the fleet").isZero();
    String id = enqueue("post", "social").get("id").asText();
    assertThat(state(id)).as("no ghost took the job").isEqualTo("ready");
    assertThat(claim("live-1", "social")).hasSize(1);
  }

  @Test
  void waiting_claims_beyond_the_limits_answer_429_with_retry_after() throws Exception {
    var first = waitingClaim("w-1");
    var second = waitingClaim("w-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 2);

    Reply third = waitingClaim("w-1").get();
    assertProblem(third, 429);
    assertThat(third.json().get("type").asText()).endsWith("/rate-limited");
    assertThat(Integer.parseInt(third.header("Retry-After"))).isPositive();

    var other = waitingClaim("w-2");
    var another = waitingClaim("w-3");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 4);
    assertProblem(waitingClaim("w-4").get(), 429);

    enqueue("post", "social");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 3);
    assertThat(List.of(first, second, other, another)).filteredOn(CompletableFuture::isDone).hasSize(1);
  }

  @Test
  void a_lease_longer_than_claims_max_lease_ms_is_refused_on_claim_and_heartbeat() {
    Reply claim =
        api.post("/api/v1/claim", "{\"worker_id\":\"w\",\"lease_ms\":600001}");
    assertProblem(claim, 400);
    assertThat(errorFields(claim)).containsExactly("lease_ms");

    String id = enqueue("post", "social").get("id").asText();
    String token = claim("w", "social").get(0).get("lease_token").asText();
    Reply beat =
        api.post("/api/v1/jobs/" + id + "/heartbeat", "{\"lease_token\":\"" + token + "\",\"lease_ms\":3600000}");
    assertProblem(beat, 400);
    assertThat(errorFields(beat)).containsExactly("lease_ms");
    assertThat(api.post("/api/v1/jobs/" + id + "/heartbeat", "{\"lease_token\":\"" + token + "\",\"lease_ms\":600000}").status())
        .isEqualTo(200);
  }

  @Test
  void a_worker_id_with_control_characters_is_refused() {
    Reply reply = api.post("/api/v1/claim", "{\"worker_id\":\"py\\u001b[2J\\u001b]0;owned\\u0007\"}");

    assertProblem(reply, 400);
    assertThat(errorFields(reply)).containsExactly("worker_id");
  }
}
