package dev.vigil.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.server.ApiClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away for 10 s under load and comes back: two Vigil servers (separate JVMs) keep
 * running, report the store down on {@code /health/ready} meanwhile (while {@code /health/live}
 * stays up), answer enqueues with 503, and resume by themselves once the database is back, without
 * losing a job they acknowledged.
 */
class PostgresRestartTest {
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  /** Node logs and completions; kept under target/ so a failure can be read afterwards. */
  private final Path dir = ClusterFiles.directory("postgres-restart");

  private final List<NodeProcess> nodes = new ArrayList<>();
  private ClusterDatabase db;

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private NodeProcess start(String id) {
    var env = new HashMap<>(db.env());
    env.put("VIGIL_PORT", "0");
    env.put("VIGIL_WORKERS", "16");
    env.put("VIGIL_LEASE_MS", "3000");
    env.put("VIGIL_RETRY_BASE_MS", "100");
    env.put("VIGIL_RETRY_CAP_MS", "1000");
    env.put("VIGIL_SHUTDOWN_GRACE_MS", "2000");
    env.put("VIGIL_POSTGRES_POOL_SIZE", "6");
    NodeProcess n = NodeProcess.start(id, env, dir, 2);
    nodes.add(n);
    return n;
  }

  @Test
  void nodes_under_load_report_the_store_down_and_resume_by_themselves_losing_no_acknowledged_job()
      throws Exception {
    db = ClusterDatabase.onPrivateServer();
    NodeProcess a = start("node-a");
    NodeProcess b = start("node-b");
    var apis = List.of(new ApiClient(a.awaitUrl(), null), new ApiClient(b.awaitUrl(), null));
    Map<String, Long> pids = Map.of(a.id(), a.pid(), b.id(), b.pid());

    var producer = new Producer("p", apis::getFirst, 50, Long.MAX_VALUE, Duration.ofMillis(50));
    Thread pt = producer.start();
    await("load on both nodes")
        .atMost(Duration.ofSeconds(60))
        .until(() -> producer.acknowledged().size() >= 1_500
            && a.completions().size() >= 200 && b.completions().size() >= 200);

    // the database goes away
    long failedBefore = producer.failedBatches();
    db.stop();
    Instant stoppedAt = Instant.now();
    await("readiness reports the store down")
        .atMost(Duration.ofSeconds(8))
        .until(() -> apis.stream().allMatch(api -> storeDown(api.get("/health/ready"))));
    Duration toDown = Duration.between(stoppedAt, Instant.now());
    Duration rest = OUTAGE.minus(Duration.between(stoppedAt, Instant.now()));
    var odd = new java.util.concurrent.atomic.AtomicReference<String>();
    try {
      await("the store stays down, the nodes stay live")
          .during(rest)
          .atMost(rest.plusSeconds(5))
          .until(() -> apis.stream().allMatch(api -> {
            ApiClient.Reply ready = api.get("/health/ready");
            ApiClient.Reply live = api.get("/health/live");
            boolean ok = storeDown(ready) && live.status() == 200;
            if (!ok) {
              odd.set(Duration.between(stoppedAt, Instant.now()).toMillis() + " ms after the stop: ready " + ready + ", live " + live);
            }
            return ok;
          }));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("during the outage: " + odd.get(), e);
    }
    long refusedDuringOutage = producer.failedBatches() - failedBefore;

    // and comes back
    db.start();
    Instant restartedAt = Instant.now();
    await("both nodes ready again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> apis.stream().allMatch(api -> api.get("/health/ready").status() == 200));
    Duration toReady = Duration.between(restartedAt, Instant.now());
    int ackedAtRestart = producer.acknowledged().size();
    int doneByA = a.completions().size();
    int doneByB = b.completions().size();
    await("enqueues and work resume on both nodes")
        .atMost(Duration.ofSeconds(60))
        .until(() -> producer.acknowledged().size() >= ackedAtRestart + 1_000
            && a.completions().size() >= doneByA + 100 && b.completions().size() >= doneByB + 100);
    producer.stop();
    assertThat(pt.join(Duration.ofSeconds(30))).isTrue();
    assertThat(producer.crashed()).isNull();
    Set<String> acked = producer.acknowledged();

    try {
      await("every job succeeded")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> db.count("SELECT count(*) FROM jobs WHERE type = 'work' AND state <> 'succeeded'") == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("jobs still not succeeded: " + unfinished() + "; logs in " + dir, e);
    }

    // nothing acknowledged was lost, nothing recorded twice, and nobody restarted the nodes
    Set<String> succeeded = succeededWork();
    assertThat(succeeded).containsAll(acked);
    assertThat(db.count("SELECT count(*) FROM (SELECT job_id FROM job_attempts WHERE outcome = 'succeeded'"
            + " GROUP BY job_id HAVING count(*) > 1) twice")).as("jobs recorded complete twice").isZero();
    for (NodeProcess n : nodes) {
      assertThat(n.isAlive()).as(n.id() + " still running").isTrue();
      assertThat(n.pid()).as(n.id() + " never restarted").isEqualTo(pids.get(n.id()));
    }
    assertThat(refusedDuringOutage).as("enqueues refused while the database was down").isPositive();

    var runs = new HashMap<String, Integer>();
    nodes.forEach(n -> n.completions().forEach(l -> runs.merge(l.substring(0, l.indexOf(',')), 1, Integer::sum)));
    long ranTwice = runs.values().stream().filter(c -> c > 1).count();
    System.out.printf(
        "postgres restart: %d jobs acknowledged (%d before the restart), all succeeded, 0 recorded twice;"
            + " %d batches refused during the outage; ready reported down %d ms after the stop and up"
            + " %d ms after the start; %d attempts ended lease_expired; %d handler runs of an already-run job;"
            + " logs in %s%n",
        acked.size(), ackedAtRestart, refusedDuringOutage, toDown.toMillis(), toReady.toMillis(),
        db.count("SELECT count(*) FROM job_attempts WHERE outcome = 'lease_expired'"), ranTwice, dir);
  }

  /** Readiness 503 because of the store: its check says {@code down} (or {@code unhealthy}). */
  private static boolean storeDown(ApiClient.Reply ready) {
    return ready.status() == 503
        && Set.of("down", "unhealthy").contains(ready.json().path("checks").path("store").path("status").asText());
  }

  private Set<String> succeededWork() throws SQLException {
    var out = new HashSet<String>();
    try (Connection c = db.connect();
        ResultSet rs = c.createStatement().executeQuery("SELECT id FROM jobs WHERE type = 'work' AND state = 'succeeded'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private String unfinished() throws SQLException {
    var out = new StringBuilder();
    try (Connection c = db.connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT state, count(*), max(attempt) FROM jobs WHERE state <> 'succeeded' GROUP BY state")) {
      while (rs.next()) {
        out.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(" (max attempt ").append(rs.getInt(3)).append(") ");
      }
    }
    return out.toString();
  }
}
