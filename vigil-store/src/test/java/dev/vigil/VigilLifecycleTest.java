package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.NonRetryableException;
import dev.vigil.job.RetryPolicy;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end on a real SQLite store: what a user embedding Vigil relies on. */
class VigilLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Vigil vigil;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));

  @AfterEach
  void close() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private Vigil.Builder engine() {
    return Vigil.builder()
        .store(SqliteJobStore.open(dir.resolve("vigil.db")))
        .shutdownGrace(Duration.ofSeconds(5))
        .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(10)));
  }

  private Job awaitState(String id, JobState state) {
    await().atMost(WAIT).until(() -> vigil.get(id).orElseThrow().state() == state);
    return vigil.get(id).orElseThrow();
  }

  @Test
  void job_runs_to_succeeded_with_its_result_and_one_recorded_attempt() {
    vigil =
        engine()
            .handler("echo", ctx -> ctx.result(Map.of("got", ctx.payload().get("text").asText())))
            .start();

    Job job = vigil.enqueue(JobRequest.builder("echo").lane("cognition").payload(Map.of("text", "hi")).build());

    Job done = awaitState(job.id(), JobState.SUCCEEDED);
    assertThat(done.resultJson()).isEqualTo("{\"got\":\"hi\"}");
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
      assertThat(a.workerId()).isEqualTo(vigil.workerId());
    });
  }

  @Test
  void failing_job_is_retried_after_its_backoff_and_ends_dead_when_attempts_run_out() {
    var calls = new AtomicInteger();
    vigil =
        engine()
            .clock(clock)
            .handler("flaky", ctx -> {
              calls.incrementAndGet();
              throw new IllegalStateException("provider unavailable");
            })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("flaky").build());
    Job afterFirst = awaitState(job.id(), JobState.SCHEDULED);
    assertThat(afterFirst.attempt()).isEqualTo(1);
    assertThat(afterFirst.lastError().type()).isEqualTo(IllegalStateException.class.getName());
    assertThat(afterFirst.runAt()).isBetween(clock.instant(), clock.instant().plusSeconds(30));

    clock.advance(Duration.ofSeconds(30));
    vigil.runDueNow();
    Job afterSecond = awaitState(job.id(), JobState.SCHEDULED);
    await().atMost(WAIT).until(() -> vigil.get(job.id()).orElseThrow().attempt() == 2);

    clock.advance(Duration.ofSeconds(60));
    vigil.runDueNow();
    Job dead = awaitState(job.id(), JobState.DEAD);
    assertThat(calls).hasValue(3);
    assertThat(dead.attempts()).extracting(a -> a.outcome()).containsOnly(AttemptOutcome.FAILED).hasSize(3);
    assertThat(afterSecond.lastError()).isNotNull();
  }

  @Test
  void non_retryable_failure_sends_the_job_dead_at_once() {
    vigil = engine().handler("strict", ctx -> {
      throw new NonRetryableException("bad input");
    }).start();

    Job job = vigil.enqueue(JobRequest.builder("strict").maxAttempts(5).build());

    Job dead = awaitState(job.id(), JobState.DEAD);
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.lastError().message()).isEqualTo("bad input");
  }

  @Test
  void handler_that_ignores_interruption_loses_its_slot_at_the_deadline_and_its_late_result_is_discarded()
      throws Exception {
    var release = new CountDownLatch(1);
    var stubbornStarted = new CountDownLatch(1);
    vigil =
        engine()
            .clock(clock)
            .workers(1)
            .handler("stubborn", ctx -> {
              stubbornStarted.countDown();
              while (true) {
                try {
                  if (release.await(10, TimeUnit.SECONDS)) {
                    break;
                  }
                } catch (InterruptedException ignored) {
                  // deliberately ignored
                }
              }
              ctx.result("late");
            })
            .handler("quick", ctx -> ctx.result("ok"))
            .start();

    Job stubborn = vigil.enqueue(JobRequest.builder("stubborn").timeout(Duration.ofSeconds(5)).build());
    assertThat(stubbornStarted.await(20, TimeUnit.SECONDS)).isTrue();
    Job quick = vigil.enqueue(JobRequest.builder("quick").build());

    clock.advance(Duration.ofSeconds(6));
    vigil.runDueNow();

    Job timedOut = awaitState(stubborn.id(), JobState.SCHEDULED);
    assertThat(timedOut.attempts()).singleElement().extracting(a -> a.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
    awaitState(quick.id(), JobState.SUCCEEDED);

    release.countDown();
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> vigil.get(stubborn.id()).orElseThrow().state() == JobState.SCHEDULED);
    assertThat(vigil.get(stubborn.id()).orElseThrow().resultJson()).isNull();
  }

  @Test
  void cancelling_a_running_job_interrupts_its_handler_and_ends_it_cancelled() throws Exception {
    var started = new CountDownLatch(1);
    var sawCancel = new CountDownLatch(1);
    vigil =
        engine()
            .handler("dream", ctx -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                if (ctx.isCancelled()) {
                  sawCancel.countDown();
                }
                throw e;
              }
            })
            .start();
    Job job = vigil.enqueue(JobRequest.builder("dream").timeout(Duration.ofMinutes(5)).build());
    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

    Job requested = vigil.cancel(job.id());

    assertThat(requested.state()).isEqualTo(JobState.RUNNING);
    assertThat(requested.cancelRequested()).isTrue();
    assertThat(sawCancel.await(20, TimeUnit.SECONDS)).isTrue();
    Job cancelled = awaitState(job.id(), JobState.CANCELLED);
    assertThat(cancelled.attempts()).singleElement().extracting(a -> a.outcome()).isEqualTo(AttemptOutcome.CANCELLED);
  }

  @Test
  void scheduled_and_ready_jobs_cancel_at_once_and_a_finished_job_refuses() {
    vigil = engine().clock(clock).start();
    Job ready = vigil.enqueue(JobRequest.builder("later").build());
    Job scheduled = vigil.enqueue(JobRequest.builder("later").delay(Duration.ofHours(1)).build());

    assertThat(vigil.cancel(ready.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(vigil.cancel(scheduled.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThatThrownBy(() -> vigil.cancel(ready.id())).isInstanceOf(IllegalTransitionException.class);
    assertThat(vigil.retry(ready.id()).state()).isEqualTo(JobState.READY);
  }

  @Test
  void delayed_job_waits_for_its_run_at() {
    var ran = new AtomicInteger();
    vigil = engine().clock(clock).handler("remind", ctx -> ran.incrementAndGet()).start();

    Job job = vigil.enqueue(JobRequest.builder("remind").delay(Duration.ofMinutes(10)).build());
    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);

    clock.advance(Duration.ofMinutes(9));
    vigil.runDueNow();
    assertThat(vigil.get(job.id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);

    clock.advance(Duration.ofMinutes(1));
    vigil.runDueNow();
    awaitState(job.id(), JobState.SUCCEEDED);
    assertThat(ran).hasValue(1);
  }

  @Test
  void schedule_fires_one_job_per_tick_and_only_once_after_downtime() {
    vigil = engine().clock(clock).start();
    vigil.schedule("digest", "*/5 * * * *", ZoneId.of("UTC"), JobRequest.builder("digest").lane("social").build());

    clock.set(Instant.parse("2026-01-05T10:05:00Z"));
    vigil.runDueNow();
    vigil.runDueNow();
    assertThat(scheduleJobs()).extracting(Job::uniqueKey).containsExactly("schedule:digest:2026-01-05T10:05:00Z");

    clock.set(Instant.parse("2026-01-05T13:02:00Z"));
    vigil.runDueNow();
    assertThat(scheduleJobs())
        .extracting(Job::uniqueKey)
        .containsExactlyInAnyOrder(
            "schedule:digest:2026-01-05T10:05:00Z", "schedule:digest:2026-01-05T13:00:00Z");
    assertThat(vigil.schedule("digest").orElseThrow().nextFireAt()).isEqualTo(Instant.parse("2026-01-05T13:05:00Z"));
  }

  private List<Job> scheduleJobs() {
    return vigil.find(JobQuery.all().withType("digest")).jobs();
  }

  @Test
  void child_job_inherits_the_correlation_id_and_records_its_parent() {
    vigil =
        engine()
            .handler("parent", ctx -> ctx.enqueueChild(JobRequest.builder("child").build()))
            .handler("child", ctx -> {})
            .start();

    Job parent = vigil.enqueue(JobRequest.builder("parent").correlationId("c-42").build());
    awaitState(parent.id(), JobState.SUCCEEDED);

    Job child = vigil.find(JobQuery.all().withType("child")).jobs().get(0);
    assertThat(child.parentId()).isEqualTo(parent.id());
    assertThat(child.correlationId()).isEqualTo("c-42");
  }

  @Test
  void job_of_a_worker_whose_lease_expired_is_rescued_and_retried() {
    vigil = engine().clock(clock).leaseDuration(Duration.ofSeconds(30)).start();
    Job job = vigil.enqueue(JobRequest.builder("remote_only").build());
    Job claimed =
        vigil.store()
            .claim(new ClaimRequest("dead-worker", List.of(new ClaimRequest.LaneQuota("background", 1, 10)),
                null, Duration.ofSeconds(30), clock.instant()))
            .get(0);
    assertThat(claimed.id()).isEqualTo(job.id());

    clock.advance(Duration.ofSeconds(31));
    vigil.runDueNow();

    Job rescued = vigil.get(job.id()).orElseThrow();
    assertThat(rescued.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(rescued.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(AttemptOutcome.LEASE_EXPIRED);
      assertThat(a.workerId()).isEqualTo("dead-worker");
    });
  }

  @Test
  void close_gives_back_the_leases_of_jobs_still_running_after_the_grace_period() throws Exception {
    var started = new CountDownLatch(1);
    vigil =
        engine()
            .shutdownGrace(Duration.ofMillis(200))
            .handler("dream", ctx -> {
              started.countDown();
              new CountDownLatch(1).await();
            })
            .start();
    Job job = vigil.enqueue(JobRequest.builder("dream").timeout(Duration.ofMinutes(5)).build());
    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

    vigil.close();
    vigil = null;

    try (var store = SqliteJobStore.open(dir.resolve("vigil.db"))) {
      Job released = store.get(job.id()).orElseThrow();
      assertThat(released.state()).isEqualTo(JobState.READY);
      assertThat(released.leaseToken()).isNull();
      assertThat(released.attempts()).singleElement().extracting(a -> a.outcome()).isEqualTo(AttemptOutcome.LEASE_EXPIRED);
    }
  }

  @Test
  void every_state_change_is_published_as_an_event() {
    vigil = engine().handler("echo", ctx -> {}).start();
    var events = new CopyOnWriteArrayList<JobEvent>();
    vigil.subscribe(events::add);

    Job job = vigil.enqueue(JobRequest.builder("echo").correlationId("c-1").build());

    await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.to() == JobState.SUCCEEDED));
    assertThat(events)
        .filteredOn(e -> e.jobId().equals(job.id()))
        .extracting(JobEvent::from, JobEvent::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, JobState.READY),
            org.assertj.core.groups.Tuple.tuple(JobState.READY, JobState.RUNNING),
            org.assertj.core.groups.Tuple.tuple(JobState.RUNNING, JobState.SUCCEEDED));
    assertThat(events).allSatisfy(e -> assertThat(e.correlationId()).isEqualTo("c-1"));
  }

  @Test
  void duplicate_unique_key_returns_the_existing_job_flagged() {
    vigil = engine().start();
    Job first = vigil.enqueue(JobRequest.builder("reply").uniqueKey("reply:p1").build());
    Job second = vigil.enqueue(JobRequest.builder("reply").uniqueKey("reply:p1").build());

    assertThat(first.duplicate()).isFalse();
    assertThat(second.duplicate()).isTrue();
    assertThat(second.id()).isEqualTo(first.id());
  }

  @Test
  void invalid_request_names_every_bad_field_and_stores_nothing() {
    vigil = engine().start();

    assertThatThrownBy(() -> vigil.enqueueAll(List.of(
            JobRequest.builder("ok").build(),
            JobRequest.builder(" ").lane("nowhere").maxAttempts(0).delay(Duration.ofSeconds(-1)).build())))
        .isInstanceOfSatisfying(InvalidRequestException.class, e ->
            assertThat(e.errors()).extracting(InvalidRequestException.FieldError::field)
                .containsExactly("jobs[1].type", "jobs[1].lane", "jobs[1].delay_ms", "jobs[1].max_attempts"));
    assertThat(vigil.find(JobQuery.all()).jobs()).isEmpty();
  }

  @Test
  void paused_lane_accepts_jobs_but_starts_none_until_resumed() {
    var ran = new AtomicInteger();
    vigil = engine().handler("post", ctx -> ran.incrementAndGet()).start();
    vigil.pause("social");

    Job job = vigil.enqueue(JobRequest.builder("post").lane("social").build());
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> ran.get() == 0);
    assertThat(vigil.get(job.id()).orElseThrow().state()).isEqualTo(JobState.READY);
    assertThat(vigil.lanes()).filteredOn(l -> l.lane().name().equals("social")).singleElement()
        .satisfies(l -> assertThat(l.lane().paused()).isTrue());

    vigil.resume("social");
    awaitState(job.id(), JobState.SUCCEEDED);
  }
}
