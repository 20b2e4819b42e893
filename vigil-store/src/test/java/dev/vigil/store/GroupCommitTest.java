package dev.vigil.store;

import static dev.vigil.store.TestJobs.T0;
import static dev.vigil.store.TestJobs.job;
import static dev.vigil.store.TestJobs.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single writer's group commit: batching, per-operation failure, and close. */
class GroupCommitTest {
  @TempDir Path dir;
  final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
  final CountDownLatch writerHeld = new CountDownLatch(1);
  final CountDownLatch releaseWriter = new CountDownLatch(1);
  SqliteJobStore store;

  @AfterEach
  void tearDown() {
    releaseWriter.countDown();
    callers.shutdownNow();
    if (store != null) {
      store.close();
    }
  }

  @Test
  void concurrent_enqueues_from_sixteen_threads_share_far_fewer_commits_than_calls()
      throws Exception {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    int threads = 16;
    int perThread = 40;
    long commitsBefore = store.commitCount();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            store.enqueue(List.of(ready("background")));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    }

    int calls = threads * perThread;
    long commits = store.commitCount() - commitsBefore;
    assertThat(store.countByState()).containsEntry(JobState.READY, (long) calls);
    assertThat(commits).isLessThan(calls / 4);
  }

  @Test
  void a_failing_operation_in_a_batch_rolls_back_alone_and_keeps_its_exception_type()
      throws Exception {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    store.enqueue(List.of(ready("background")));
    var running = store.claim(TestJobs.claim("background", 1)).getFirst();
    NewJob before = ready("background");
    NewJob clash = job().id(running.id()).build();
    NewJob after = ready("background");
    holdWriter();
    long commitsBefore = store.commitCount();

    Future<?> ok1 = submit(() -> store.enqueue(List.of(before)));
    Future<?> lost = submit(() -> store.finish(new Finish(running.id(), "stale", AttemptOutcome.FAILED,
        JobState.DEAD, null, null, null, T0)));
    Future<?> sqlError = submit(() -> store.enqueue(List.of(clash)));
    Future<?> missing = submit(() -> store.heartbeat("no-such-job", "t", T0, null, null));
    Future<?> ok2 = submit(() -> store.enqueue(List.of(after)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 5);
    releaseWriter.countDown();

    ok1.get(10, TimeUnit.SECONDS);
    ok2.get(10, TimeUnit.SECONDS);
    assertThat(causeOf(lost)).isInstanceOf(LeaseLostException.class);
    assertThat(causeOf(sqlError)).isInstanceOf(StoreException.class);
    assertThat(causeOf(missing)).isInstanceOf(JobNotFoundException.class);
    assertThat(store.get(before.id())).isPresent();
    assertThat(store.get(after.id())).isPresent();
    assertThat(store.get(running.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    assertThat(store.commitCount() - commitsBefore).as("the held batch, then one for all five")
        .isEqualTo(2);
  }

  @Test
  void close_commits_the_writes_already_queued_and_then_refuses_every_call() throws Exception {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    holdWriter();
    NewJob queued = ready("background");
    Future<?> enqueue = submit(() -> store.enqueue(List.of(queued)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 1);

    Future<?> closing = submit(() -> {
      store.close();
      return null;
    });
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThatThrownBy(() -> store.enqueue(List.of(ready("background"))))
            .isInstanceOf(StoreException.class));
    releaseWriter.countDown();
    closing.get(10, TimeUnit.SECONDS);
    enqueue.get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> store.get(queued.id())).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.claim(TestJobs.claim("background", 1)))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.countByState()).isInstanceOf(StoreException.class);
    store.close();
    try (SqliteJobStore reopened = SqliteJobStore.open(dir.resolve("vigil.db"))) {
      assertThat(reopened.get(queued.id())).isPresent();
    }
  }

  @Test
  void a_lone_caller_never_waits_for_the_group_commit_window() {
    store = SqliteJobStore.builder(dir.resolve("vigil.db"))
        .groupCommitWindow(Duration.ofSeconds(2))
        .build();
    long start = System.nanoTime();

    for (int i = 0; i < 5; i++) {
      store.enqueue(List.of(ready("background")));
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(store.commitCount()).isEqualTo(5);
  }

  @Test
  void ready_listeners_are_told_only_after_the_commit_and_a_failing_one_harms_nothing()
      throws Exception {
    Path file = dir.resolve("vigil.db");
    store = SqliteJobStore.open(file);
    NewJob job = ready("cognition");
    List<Boolean> visibleWhenTold = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Connection outsider = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      store.addReadyListener(lane -> {
        throw new IllegalStateException("a broken listener");
      });
      store.addReadyListener(lane -> visibleWhenTold.add(committed(outsider, job.id())));

      store.enqueue(List.of(job));
    }

    assertThat(visibleWhenTold).containsExactly(true);
  }

  /** Whether another connection, outside the store, sees the job: only once it is committed. */
  private static boolean committed(Connection outsider, String id) {
    try (var ps = outsider.prepareStatement("SELECT 1 FROM jobs WHERE id = ?")) {
      ps.setString(1, id);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Occupies the writer thread with one operation until {@link #releaseWriter} opens. */
  private void holdWriter() throws InterruptedException {
    submit(() -> store.execute((c, lanes) -> {
      writerHeld.countDown();
      try {
        releaseWriter.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private Future<?> submit(java.util.concurrent.Callable<?> call) {
    return callers.submit(call);
  }

  private static Throwable causeOf(Future<?> f) throws InterruptedException {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no outcome in time", e);
    }
  }
}
