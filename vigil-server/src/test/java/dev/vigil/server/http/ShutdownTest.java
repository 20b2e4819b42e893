package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.store.SqliteJobStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Stopping drains: readiness fails, new work is refused, running jobs get their grace. */
class ShutdownTest {

  static Job stored(java.nio.file.Path dataDir, String id) {
    try (var store = SqliteJobStore.open(dataDir.resolve("vigil.db"))) {
      return store.get(id).orElseThrow();
    }
  }

  @Nested
  class WithinTheGrace extends ServerTestSupport {
    private final CountDownLatch finish = new CountDownLatch(1);

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.shutdownGrace(Duration.ofSeconds(20));
    }

    @Override
    protected void customise(Vigil.Builder engine) {
      engine.handler("slow", ctx -> finish.await());
    }

    @Test
    void a_running_job_finishes_while_the_server_drains_and_refuses_new_work() throws Exception {
      String id = enqueue("slow", "cognition").get("id").asText();
      await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("running"));

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
      await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/health/ready").status() == 503);

      Reply ready = api.get("/health/ready");
      assertThat(ready.json().get("status").asText()).isEqualTo("unhealthy");
      assertThat(ready.json().get("phase").asText()).isEqualTo("draining");
      Reply enqueue = api.post("/api/v1/jobs", "{\"type\":\"t\"}");
      assertProblem(enqueue, 503);
      assertThat(enqueue.header("Retry-After")).isNotBlank();
      assertProblem(api.post("/api/v1/claim", "{\"worker_id\":\"w\"}"), 503);
      assertThat(api.get("/api/v1/jobs/" + id).status()).isEqualTo(200);
      assertThat(stopping).isNotDone();

      finish.countDown();
      stopping.get(10, TimeUnit.SECONDS);

      assertThat(stored(dataDir, id).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Nested
  class PastTheGrace extends ServerTestSupport {
    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    protected ServerConfig.Builder configure(ServerConfig.Builder b) {
      return b.shutdownGrace(Duration.ofMillis(300));
    }

    @Override
    protected void customise(Vigil.Builder engine) {
      engine.handler("stuck", ctx -> never.await());
    }

    @Test
    void a_job_still_running_when_the_grace_passes_gets_its_lease_back_and_is_ready_again() throws Exception {
      String id = enqueue("stuck", "cognition").get("id").asText();
      await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("running"));

      CompletableFuture.runAsync(server::close).get(10, TimeUnit.SECONDS);

      Job job = stored(dataDir, id);
      assertThat(job.state()).isEqualTo(JobState.READY);
      assertThat(job.attempts()).singleElement().satisfies(a -> assertThat(a.outcome().wireName()).isEqualTo("lease_expired"));
    }
  }

  @Nested
  class WaitingClaims extends ServerTestSupport {
    @Test
    void a_waiting_long_poll_returns_empty_as_soon_as_the_server_stops() throws Exception {
      CompletableFuture<Reply> waiting = api.postAsync("/api/v1/claim", "{\"worker_id\":\"w\",\"wait_ms\":60000}");
      await().atMost(Duration.ofSeconds(10)).until(() -> server.vigil().waitingClaims() == 1);

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);

      Reply reply = waiting.get(10, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().get("jobs")).isEmpty();
      stopping.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closing_twice_is_harmless_and_await_termination_returns() throws Exception {
      server.close();
      server.close();

      assertThat(server.awaitTermination(1_000)).isTrue();
    }
  }
}
