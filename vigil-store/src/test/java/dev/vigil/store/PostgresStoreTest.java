package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the PostgreSQL store adds to the contract: timeouts, health, racing finishes, settings. */
class PostgresStoreTest {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;
  private PostgresJobStore store;

  @BeforeEach
  void open() {
    database = server.createDatabase();
    store = server.store(database).statementTimeout(Duration.ofSeconds(1)).poolSize(4).build();
  }

  @AfterEach
  void close() {
    store.close();
    server.dropDatabase(database);
  }

  @Test
  void a_statement_that_waits_past_the_statement_timeout_fails_with_a_store_exception()
      throws Exception {
    Job job = store.enqueue(List.of(TestJobs.ready("social"))).getFirst();
    try (Connection other = server.connect(database)) {
      other.setAutoCommit(false);
      try (PreparedStatement lock =
          other.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
        lock.setString(1, job.id());
        lock.executeQuery().close();
      }

      long started = System.nanoTime();
      assertThatThrownBy(() -> store.cancel(job.id(), TestJobs.T0))
          .isInstanceOf(StoreException.class)
          .hasRootCauseInstanceOf(SQLException.class)
          .hasMessageContaining("57014");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("cancelled by the 1 s statement timeout, not left waiting for the lock")
          .isLessThan(Duration.ofSeconds(10));
      other.rollback();
    }

    assertThat(store.cancel(job.id(), TestJobs.T0).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void is_reachable_while_the_database_answers_and_not_once_the_store_is_closed() {
    assertThat(store.isReachable(Duration.ofSeconds(2))).isTrue();

    store.close();

    assertThat(store.isReachable(Duration.ofSeconds(2))).isFalse();
    assertThatThrownBy(() -> store.get("any")).isInstanceOf(StoreException.class);
  }

  /**
   * The reaper and a late worker finish the same job with the same token at the same moment, one
   * through {@code finish}, the other through {@code finishAll}: exactly one of them is applied,
   * and the job has exactly one attempt.
   */
  @Test
  void racing_finishes_of_the_same_attempt_apply_exactly_once() throws Exception {
    int jobs = 300;
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      batch.add(TestJobs.ready("background"));
    }
    store.enqueue(batch);
    List<Job> running = store.claim(TestJobs.claim("background", jobs));
    assertThat(running).hasSize(jobs);

    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Future<Set<String>> byBatches =
          threads.submit(
              () -> {
                start.await();
                Set<String> applied = new java.util.HashSet<>();
                for (int i = 0; i < jobs; i += 10) {
                  List<Finish> finishes = new ArrayList<>();
                  for (Job job : running.subList(i, i + 10)) {
                    finishes.add(success(job));
                  }
                  applied.addAll(store.finishAll(finishes).keySet());
                }
                return applied;
              });
      Future<Set<String>> oneByOne =
          threads.submit(
              () -> {
                start.await();
                Set<String> applied = new java.util.HashSet<>();
                for (Job job : running.reversed()) {
                  try {
                    applied.add(store.finish(expired(job)).id());
                  } catch (LeaseLostException e) {
                    // the other finish won
                  }
                }
                return applied;
              });
      start.countDown();
      Set<String> first = byBatches.get(60, TimeUnit.SECONDS);
      Set<String> second = oneByOne.get(60, TimeUnit.SECONDS);

      assertThat(first).doesNotContainAnyElementsOf(second);
      assertThat(first.size() + second.size()).isEqualTo(jobs);
    } finally {
      threads.shutdownNow();
    }
    for (Job job : running) {
      assertThat(store.get(job.id()).orElseThrow().attempts()).hasSize(1);
    }
  }

  @Test
  void the_schema_name_must_be_a_plain_lower_case_identifier() {
    PostgresJobStore.Builder builder = server.store(database);
    assertThatThrownBy(() -> builder.schema("Vigil")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.schema("a;drop")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresJobStore.builder("jdbc:sqlite:x.db"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Finish success(Job job) {
    return new Finish(
        job.id(), job.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null,
        "{}", TestJobs.T0);
  }

  private static Finish expired(Job job) {
    return new Finish(
        job.id(), job.leaseToken(), AttemptOutcome.LEASE_EXPIRED, JobState.READY, null,
        JobError.of("LeaseExpired", "no heartbeat"), null, TestJobs.T0);
  }
}
