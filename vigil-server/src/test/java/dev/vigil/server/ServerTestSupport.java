package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.job.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real server on a free port with a fresh data directory for each test, and stops it
 * after. Subclasses change the configuration or register handlers by overriding {@link
 * #configure} and {@link #customise}.
 */
public abstract class ServerTestSupport {
  @TempDir protected Path dataDir;
  protected VigilServer server;
  protected ApiClient api;

  @BeforeEach
  void startServer() {
    var config = configure(ServerConfig.builder().port(0).dataDir(dataDir).retry(fastRetry())).build();
    server = VigilServer.start(config, this::customise);
    api = new ApiClient(server.url(), config.apiToken());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b;
  }

  protected void customise(Vigil.Builder engine) {}

  /** Retries at once, so tests of retries need not wait for a back-off. */
  protected static RetryPolicy fastRetry() {
    return new RetryPolicy(3, Duration.ZERO, Duration.ZERO);
  }

  /** Enqueues a job of {@code type} in {@code lane}; returns its JSON. */
  protected JsonNode enqueue(String type, String lane) {
    var reply = api.post("/api/v1/jobs", "{\"type\":\"%s\",\"lane\":\"%s\",\"payload\":{\"n\":1}}".formatted(type, lane));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    return reply.json();
  }

  /** Claims one job of {@code lane} for worker {@code worker} without waiting; returns the claimed jobs. */
  protected JsonNode claim(String worker, String lane) {
    var reply =
        api.post("/api/v1/claim", "{\"worker_id\":\"%s\",\"lanes\":[\"%s\"],\"max\":1,\"wait_ms\":0}".formatted(worker, lane));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().get("jobs");
  }

  protected String state(String id) {
    return api.get("/api/v1/jobs/" + id).json().get("state").asText();
  }
}
