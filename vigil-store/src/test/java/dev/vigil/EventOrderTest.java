package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Job;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job can be claimed and started the moment its insert commits, before the thread that enqueued
 * it has published its creation. Subscribers must still see its events in order.
 */
class EventOrderTest {
  @TempDir Path dir;

  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch running = new CountDownLatch(1);
  private Vigil vigil;

  @AfterEach
  void close() {
    if (vigil != null) {
      vigil.close();
    }
  }

  @Test
  void a_job_started_before_its_enqueue_returns_still_publishes_its_creation_first() {
    vigil = Vigil.builder().store(slowToReturn(SqliteJobStore.open(dir.resolve("vigil.db"))))
        .shutdownGrace(Duration.ZERO).handler("echo", ctx -> {}).start();
    vigil.subscribe(e -> {
      events.add(e);
      if (e.to() == JobState.RUNNING) {
        running.countDown();
      }
    });

    Job job = vigil.enqueue(JobRequest.builder("echo").build());

    await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.to() == JobState.SUCCEEDED));
    assertThat(events).filteredOn(e -> e.jobId().equals(job.id())).extracting(JobEvent::from, JobEvent::to)
        .containsExactly(
            Tuple.tuple(null, JobState.READY),
            Tuple.tuple(JobState.READY, JobState.RUNNING),
            Tuple.tuple(JobState.RUNNING, JobState.SUCCEEDED));
  }

  /**
   * The store, except that an enqueue returns only once the job's start was published or 300 ms
   * have passed: the widest form of the race, where the claim wins it every time.
   */
  private JobStore slowToReturn(JobStore store) {
    return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class}, (p, m, args) -> {
      try {
        Object result = m.invoke(store, args);
        if (m.getName().equals("enqueue")) {
          running.await(300, TimeUnit.MILLISECONDS);
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
