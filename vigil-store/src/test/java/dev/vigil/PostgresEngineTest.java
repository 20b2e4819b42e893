package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.store.PostgresJobStore;
import dev.vigil.store.PostgresTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine on PostgreSQL: two Vigil nodes share one database. Jobs enqueued on one are run by
 * both (the other learns of them by NOTIFY), each exactly once, and every one succeeds.
 */
class PostgresEngineTest {
  private static final int JOBS = 400;

  @Test
  void two_nodes_on_one_database_run_every_job_once_between_them() {
    PostgresTestServer server = PostgresTestServer.shared();
    String database = server.createDatabase();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger byA = new AtomicInteger();
    AtomicInteger byB = new AtomicInteger();
    try (Vigil a = node(server, database, "node-a", runs, byA);
        Vigil b = node(server, database, "node-b", runs, byB)) {
      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(JobRequest.builder("work").lane(i % 2 == 0 ? "social" : "background").build());
      }
      for (int i = 0; i < JOBS; i += 50) {
        a.enqueueAll(jobs.subList(i, i + 50));
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> b.counts().get(JobState.SUCCEEDED) == JOBS);

      assertThat(runs).hasSize(JOBS);
      assertThat(runs.values()).allMatch(n -> n.get() == 1);
      assertThat(byB.get()).as("the node that enqueued nothing ran jobs too").isPositive();
      assertThat(byA.get() + byB.get()).isEqualTo(JOBS);
      assertThat(a.nodes()).extracting(dev.vigil.store.NodeRecord::id).contains("node-a");
    } finally {
      server.dropDatabase(database);
    }
  }

  private static Vigil node(
      PostgresTestServer server, String database, String id, Map<String, AtomicInteger> runs,
      AtomicInteger mine) {
    PostgresJobStore store = server.store(database).poolSize(4).build();
    return Vigil.builder()
        .store(store)
        .workerId(id)
        .workers(4)
        .shutdownGrace(Duration.ZERO)
        .handler(
            "work",
            ctx -> {
              runs.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
              mine.incrementAndGet();
            })
        .start();
  }
}
