package dev.vigil.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.server.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three Vigil servers in separate JVMs on one PostgreSQL database, one rate limit of {@value N}
 * starts a minute for key {@code provider:shared}, and {@value N} jobs of that key for each node
 * (of a type only that node runs, so each node claims its own and draws from the quota itself).
 *
 * <p>What must hold: the three nodes together start no more than the one quota allows, however
 * the quota falls among them (one node may take all of it). A token
 * bucket of {@value N} refilled evenly over a minute allows, from any moment {@code t} on, at most
 * {@code N + N * elapsed / 1 min} starts; with a quota per node it would be three times that, and
 * the {@code 3N} jobs would all start at once. The test checks that bound each time it looks,
 * between the moment before the enqueue and the moment after it read the count, so a slow machine
 * only makes it looser, never wrong. The jobs over the quota are held (ready, no attempt spent,
 * held by the key), not failed, and start later as the quota refills (one every 5 s); every node's
 * {@code GET /api/v1/limits} shows the shared quota.
 */
class ClusterLimitTest {
  static final int N = 12;
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String KEY = "provider:shared";
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  private static final String STARTED =
      "SELECT count(*) FROM jobs WHERE type LIKE 'work:%' AND state IN ('running', 'succeeded')";

  private final Path dir = ClusterFiles.directory("cluster-limit");
  private final List<NodeProcess> nodes = new ArrayList<>();
  private ClusterDatabase db;
  private Instant before;
  private int checks;

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void three_nodes_start_no_more_jobs_of_a_key_than_its_one_quota_allows() throws Exception {
    db = ClusterDatabase.onSharedServer();
    Path config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        limits:
          - {key: "%s", rate: %d, window: 1m}
        """.formatted(KEY, N));
    List<ApiClient> apis = new ArrayList<>();
    for (String id : NODES) {
      var env = new HashMap<>(db.env());
      env.put("VIGIL_PORT", "0");
      env.put("VIGIL_POSTGRES_POOL_SIZE", "4");
      NodeProcess n = NodeProcess.start(id, env, dir, 1, config);
      nodes.add(n);
    }
    for (NodeProcess n : nodes) {
      apis.add(new ApiClient(n.awaitUrl(), null));
    }

    before = Instant.now();
    var enqueued = apis.getFirst().post("/api/v1/jobs/batch", batch());
    assertThat(enqueued.status()).as(enqueued.toString()).isEqualTo(201);

    // every node claims its own jobs: each job is started, or held by the quota
    await("every node drew from the quota")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> withinQuota() >= N
            && db.count("SELECT count(*) FROM jobs WHERE type LIKE 'work:%' AND state = 'ready'"
                + " AND held_by IS NULL") == 0);
    for (String id : NODES) {
      String type = "type = '" + ClusterNodeMain.pinned(id) + "'";
      await(id + " claimed each of its jobs: started, or held by the quota with no attempt spent")
          .atMost(Duration.ofSeconds(30))
          .until(() -> db.count("SELECT count(*) FROM jobs WHERE " + type + " AND (state IN ('running', 'succeeded')"
              + " OR (state = 'ready' AND held_by = 'limit' AND held_key = '" + KEY + "' AND attempt = 0))") == N);
    }
    assertThat(db.count("SELECT count(*) FROM jobs WHERE type LIKE 'work:%' AND held_by = 'limit'"))
        .as("jobs held by the quota").isPositive();
    for (ApiClient api : apis) {
      long startedBefore = withinQuota();
      JsonNode limit = limit(api);
      assertThat(limit.get("rate").asInt()).isEqualTo(N);
      assertThat(limit.get("window_ms").asLong()).isEqualTo(WINDOW.toMillis());
      assertThat(limit.get("available").asLong() + startedBefore)
          .as("what the node shows left, with what the cluster had started before it looked")
          .isLessThanOrEqualTo(bound());
    }

    // the held jobs start as the quota refills, and the bound holds all along
    await("two more starts as the quota refills")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> withinQuota() >= N + 2);
    assertThat(db.count("SELECT count(*) FROM jobs WHERE type LIKE 'work:%' AND state NOT IN ('ready', 'running', 'succeeded')"))
        .as("no job failed or died").isZero();
    assertThat(db.count("SELECT count(*) FROM jobs WHERE type LIKE 'work:%' AND state = 'ready' AND attempt > 0"))
        .as("held jobs spent no attempt").isZero();
    assertThat(checks).as("times the bound was checked").isGreaterThan(10);
  }

  /** The jobs started so far, after checking they are within the bound at the moment they were read. */
  private long withinQuota() throws Exception {
    long started = started();
    long bound = bound();
    checks++;
    assertThat(started).as("jobs started by the three nodes %s after the enqueue",
        Duration.between(before, Instant.now())).isLessThanOrEqualTo(bound);
    return started;
  }

  private long started() throws Exception {
    return db.count(STARTED);
  }

  /** What the one bucket can have given since just before the enqueue: full, plus its refill since. */
  private long bound() {
    long elapsed = Duration.between(before, Instant.now()).toNanos();
    return N + (long) N * elapsed / WINDOW.toNanos();
  }

  private static JsonNode limit(ApiClient api) {
    for (JsonNode l : api.get("/api/v1/limits").json().get("limits")) {
      if (l.get("key").asText().equals(KEY)) {
        return l;
      }
    }
    throw new AssertionError("no " + KEY + " in GET /api/v1/limits");
  }

  private static String batch() {
    ObjectNode body = JsonMapper.builder().build().createObjectNode();
    ArrayNode jobs = body.putArray("jobs");
    for (String id : NODES) {
      for (int i = 0; i < N; i++) {
        ObjectNode job = jobs.addObject().put("type", ClusterNodeMain.pinned(id)).put("lane", "social");
        job.putArray("limit_keys").add(KEY);
      }
    }
    return body.toString();
  }
}
