package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away and comes back: calls fail with {@link StoreException} within the
 * connection timeout while it is down, and the same store instances work again afterwards,
 * without being reopened, with everything acknowledged before the stop still there. Runs on a
 * private server of its own, which it stops and starts.
 */
class PostgresOutageTest {
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  private PostgresTestServer server;
  private PostgresJobStore store;
  private PostgresJobStore otherNode;

  @BeforeEach
  void startOwnServer() {
    server = PostgresTestServer.startPrivate();
    String database = server.createDatabase();
    store = server.store(database).connectionTimeout(CONNECTION_TIMEOUT).poolSize(3).build();
    otherNode = server.store(database).connectionTimeout(CONNECTION_TIMEOUT).poolSize(2).build();
  }

  @AfterEach
  void stopOwnServer() {
    store.close();
    otherNode.close();
    server.destroy();
  }

  @Test
  void while_the_database_is_down_calls_fail_fast_and_afterwards_the_same_store_works_with_nothing_lost() {
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      acknowledged.add(store.enqueue(List.of(TestJobs.ready("social"))).getFirst().id());
    }
    List<Job> running = store.claim(TestJobs.claim("social", 5));
    Job succeeded = running.getFirst();
    store.finish(success(succeeded));
    Job stillRunning = running.get(1);

    server.stop();

    long started = System.nanoTime();
    assertThatThrownBy(() -> store.enqueue(List.of(TestJobs.ready("social"))))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.claim(TestJobs.claim("social", 5)))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.get(succeeded.id())).isInstanceOf(StoreException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("three calls, each failing within the 2 s connection timeout")
        .isLessThan(CONNECTION_TIMEOUT.multipliedBy(3).plusSeconds(5));
    assertThat(store.isReachable(Duration.ofSeconds(1))).isFalse();

    List<String> heardByOther = new CopyOnWriteArrayList<>();
    otherNode.addReadyListener(heardByOther::add);
    server.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(StoreException.class)
        .until(() -> store.isReachable(Duration.ofSeconds(1)));
    assertThat(store.find(dev.vigil.job.JobQuery.all().withLimit(100)).jobs())
        .extracting(Job::id)
        .containsExactlyInAnyOrderElementsOf(acknowledged);
    assertThat(store.get(succeeded.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(store.get(stillRunning.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    assertThat(store.finish(success(stillRunning)).state())
        .as("a lease taken before the outage still fences after it")
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(store.claim(TestJobs.claim("social", 100))).hasSize(15);

    await().atMost(Duration.ofSeconds(30)).until(() -> otherNode.listenerReconnections() >= 1);
    store.enqueue(List.of(TestJobs.ready("cognition")));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(heardByOther).contains("cognition"));
  }

  private static Finish success(Job job) {
    return new Finish(
        job.id(), job.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null,
        "{}", TestJobs.T0);
  }
}
