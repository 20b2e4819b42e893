package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lane cap holds across nodes: two stores on one database (two nodes) claim the same capped
 * lane from several threads at once, finishing what they claim, and the lane never runs more
 * than its cap.
 */
class PostgresLaneCapTest {
  private static final int CAP = 5;
  private static final int JOBS = 400;
  private static final String LANE = "cognition";

  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;
  private final List<PostgresJobStore> nodes = new ArrayList<>();

  @BeforeEach
  void openTwoNodes() {
    database = server.createDatabase();
    nodes.add(server.store(database).poolSize(4).build());
    nodes.add(server.store(database).poolSize(4).build());
  }

  @AfterEach
  void close() {
    nodes.forEach(PostgresJobStore::close);
    server.dropDatabase(database);
  }

  @Test
  void two_nodes_claiming_a_capped_lane_at_once_never_run_more_than_the_cap() throws Exception {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(TestJobs.ready(LANE));
    }
    nodes.getFirst().enqueue(jobs);

    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicInteger mostRunningSeen = new AtomicInteger();
    Set<String> done = ConcurrentHashMap.newKeySet();
    AtomicBoolean finished = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(5);
    try {
      List<Future<?>> claimers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        PostgresJobStore node = nodes.get(t % 2);
        String worker = "node-" + (t % 2) + "-thread-" + t;
        claimers.add(
            threads.submit(
                () -> {
                  start.await();
                  while (done.size() < JOBS) {
                    List<Job> claimed = node.claim(capped(worker));
                    // Counted after the claim committed and released before the finish
                    // commits, so this never exceeds what the database counts as running.
                    int now = inFlight.addAndGet(claimed.size());
                    mostInFlight.accumulateAndGet(now, Math::max);
                    List<Finish> finishes = new ArrayList<>();
                    for (Job job : claimed) {
                      // the "work": a heartbeat, as a worker would send
                      node.heartbeat(job.id(), job.leaseToken(), TestJobs.T0.plusSeconds(60), 0.5, null);
                      finishes.add(
                          new Finish(
                              job.id(), job.leaseToken(), AttemptOutcome.SUCCEEDED,
                              JobState.SUCCEEDED, null, null, "{}", TestJobs.T0));
                    }
                    inFlight.addAndGet(-claimed.size());
                    done.addAll(node.finishAll(finishes).keySet());
                  }
                  return null;
                }));
      }
      Future<?> monitor =
          threads.submit(
              () -> {
                start.await();
                try (Connection c = server.connect(database);
                    Statement s = c.createStatement()) {
                  while (!finished.get()) {
                    try (ResultSet rs =
                        s.executeQuery(
                            "SELECT count(*) FROM jobs WHERE state = 'running' AND lane = '"
                                + LANE + "'")) {
                      rs.next();
                      mostRunningSeen.accumulateAndGet(rs.getInt(1), Math::max);
                    }
                  }
                }
                return null;
              });
      start.countDown();
      for (Future<?> claimer : claimers) {
        claimer.get(60, TimeUnit.SECONDS);
      }
      finished.set(true);
      monitor.get(10, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    assertThat(done).hasSize(JOBS);
    assertThat(mostRunningSeen.get()).as("running jobs the database ever held").isLessThanOrEqualTo(CAP);
    assertThat(mostInFlight.get()).as("jobs the claimers held at once").isLessThanOrEqualTo(CAP);
    assertThat(mostRunningSeen.get()).as("the claimers did fill the lane to its cap").isEqualTo(CAP);
    assertThat(nodes.getFirst().countByState()).containsOnlyKeys(JobState.SUCCEEDED);
  }

  private static ClaimRequest capped(String worker) {
    return new ClaimRequest(
        worker, List.of(new ClaimRequest.LaneQuota(LANE, 3, CAP)), Set.of(), Duration.ofSeconds(30),
        TestJobs.T0);
  }
}
