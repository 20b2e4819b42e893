package dev.vigil.observe.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.ManualClock;
import dev.vigil.Vigil;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.SqliteJobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grouper on a real engine and SQLite store: what failed attempts become, and its meters and events. */
class ErrorGroupsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T09:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ErrorGroupEvent> events = new CopyOnWriteArrayList<>();
  private Vigil vigil;
  private ErrorGroups groups;

  private void start(Vigil.Builder engine) {
    var store = SqliteJobStore.open(dir.resolve("vigil.db"));
    vigil = engine.store(store).clock(clock).retryPolicy(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).start();
    groups =
        ErrorGroups.builder(store.errorGroups()).clock(clock).meterRegistry(registry).listener(events::add).start().attach(vigil);
  }

  @AfterEach
  void stop() {
    if (groups != null) {
      groups.close();
    }
    if (vigil != null) {
      vigil.close();
    }
  }

  private Job failed(String type) {
    Job job = vigil.enqueue(JobRequest.builder(type).lane("social").build());
    await().atMost(WAIT).until(() -> vigil.get(job.id()).orElseThrow().state() == JobState.DEAD);
    return vigil.get(job.id()).orElseThrow();
  }

  /** Waits until the grouper has seen {@code n} failed attempts of the group, and answers it. */
  private ErrorGroup awaitCount(String groupId, long n) {
    await().atMost(WAIT).until(() -> groups.get(groupId).map(ErrorGroup::count).orElse(0L) == n);
    return groups.get(groupId).orElseThrow();
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void a_handlers_failures_form_one_group_announced_once() {
    start(Vigil.builder().handler("reply", ctx -> {
      throw new IllegalStateException("no reply for job " + ctx.jobId());
    }));

    Job first = failed("reply");
    Job second = failed("reply");
    String id = groups.groupId("reply", first.lastError());
    ErrorGroup group = awaitCount(id, 2);

    assertThat(groups.groupId("reply", second.lastError())).isEqualTo(id);
    assertThat(group.title()).startsWith("java.lang.IllegalStateException: no reply for job ");
    assertThat(group.jobTypes()).containsExactly("reply");
    assertThat(group.lanes()).containsExactly("social");
    assertThat(group.sampleJobIds()).containsExactly(second.id(), first.id());
    assertThat(groups.occurrences(id, 5)).extracting(ErrorGroupStore.StoredOccurrence::jobId).containsExactly(second.id(), first.id());
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(ErrorGroupEvent.Kind.NEW_ERROR_GROUP);
      assertThat(e.group().id()).isEqualTo(id);
    });
    assertThat(counter("vigil.new.error.groups")).isEqualTo(1);
  }

  @Test
  void resolving_times_the_resolution_and_a_new_failure_regresses_the_group() {
    start(Vigil.builder().handler("reply", ctx -> {
      throw new IllegalStateException("boom");
    }));
    String id = groups.groupId("reply", failed("reply").lastError());
    awaitCount(id, 1);

    clock.advance(Duration.ofHours(2));
    ErrorGroup resolved = groups.resolve(id, "ava").orElseThrow();
    groups.resolve(id, "ava"); // again: no second measurement
    failed("reply");
    ErrorGroup regressed = awaitCount(id, 2);

    assertThat(resolved.status()).isEqualTo(ErrorStatus.RESOLVED);
    assertThat(resolved.resolvedBy()).isEqualTo("ava");
    var resolution = registry.get("vigil.error.group.resolution").timer();
    assertThat(resolution.count()).isEqualTo(1);
    assertThat(resolution.totalTime(TimeUnit.SECONDS)).isEqualTo(7200);
    assertThat(regressed.status()).isEqualTo(ErrorStatus.UNRESOLVED);
    assertThat(regressed.regressed()).isTrue();
    await().atMost(WAIT).until(() -> events.size() == 2);
    assertThat(events.get(1).kind()).isEqualTo(ErrorGroupEvent.Kind.ERROR_GROUP_REGRESSED);
    assertThat(counter("vigil.error.group.regressions")).isEqualTo(1);
    assertThat(groups.resolve("0000000000000000", "ava")).isEmpty();
  }

  @Test
  void a_handler_may_choose_its_fingerprint() {
    start(Vigil.builder().handler("reply", ctx -> {
      ctx.fingerprint("provider-down", ctx.payload().path("provider").asText());
      throw new IllegalStateException("503 after " + ctx.attempt() + " tries");
    }).handler("digest", ctx -> {
      ctx.fingerprint("provider-down", "openai");
      throw new java.io.UncheckedIOException(new java.io.IOException("reset"));
    }));

    Job reply = vigil.enqueue(JobRequest.builder("reply").payloadJson("{\"provider\":\"openai\"}").build());
    Job digest = vigil.enqueue(JobRequest.builder("digest").build());
    await().atMost(WAIT).until(() -> vigil.get(reply.id()).orElseThrow().state() == JobState.DEAD
        && vigil.get(digest.id()).orElseThrow().state() == JobState.DEAD);

    JobError stored = vigil.get(reply.id()).orElseThrow().attempts().get(0).error();
    assertThat(stored.fingerprintParts()).containsExactly("provider-down", "openai");
    String id = groups.groupId("reply", stored);
    ErrorGroup group = awaitCount(id, 2);
    assertThat(group.fingerprint()).isEqualTo("provider-down\nopenai");
    assertThat(group.jobTypes()).containsExactlyInAnyOrder("reply", "digest");
  }

  @Test
  void remote_failures_and_lease_rescues_are_grouped_too() throws Exception {
    start(Vigil.builder());
    vigil.enqueue(JobRequest.builder("scrape").lane("cognition").build());
    vigil.enqueue(JobRequest.builder("scrape").lane("cognition").build());
    List<Job> claimed = vigil.claim(new WorkerClaim("py-1", List.of(), Set.of(), 2, Duration.ZERO, Duration.ofSeconds(30)));
    assertThat(claimed).hasSize(2);
    String traceback =
        """
        Traceback (most recent call last):
          File "/app/workers/scrape.py", line 12, in run
            fetch(url)
        ValueError: bad page 42
        """;

    Job failed = vigil.fail(claimed.get(0).id(), claimed.get(0).leaseToken(),
        new JobError("ValueError", "bad page 42", traceback), false);
    clock.advance(Duration.ofMinutes(1));
    vigil.runDueNow(); // the second job's lease expired: rescued, and dead (one attempt)

    String remoteId = groups.groupId("scrape", failed.lastError());
    ErrorGroup remote = awaitCount(remoteId, 1);
    assertThat(remote.culprit()).isEqualTo("workers.scrape in run");
    assertThat(remote.fingerprint()).isEqualTo("ValueError\nworkers.scrape in run");
    Job rescued = vigil.get(claimed.get(1).id()).orElseThrow();
    assertThat(rescued.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.LEASE_EXPIRED);
    ErrorGroup lease = awaitCount(groups.groupId("scrape", rescued.lastError()), 1);
    assertThat(lease.fingerprint()).isEqualTo("LeaseExpired\njob type scrape");
    assertThat(groups.occurrences(lease.id(), 1).get(0).outcome()).isEqualTo("lease_expired");
  }

  @Test
  void a_grouper_that_cannot_keep_up_drops_events_instead_of_waiting() throws Exception {
    var store = SqliteJobStore.open(dir.resolve("vigil.db"));
    var stuck = new CountDownLatch(1);
    var entered = new CountDownLatch(1);
    ErrorGroupStore slow = new ErrorGroupStore() {
      @Override
      public List<ErrorGroupEvent> record(List<ErrorOccurrence> occurrences, Instant now) {
        entered.countDown();
        try {
          stuck.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return store.errorGroups().record(occurrences, now);
      }

      @Override
      public java.util.Optional<ErrorGroup> get(String id, Instant now) {
        return store.errorGroups().get(id, now);
      }

      @Override
      public ErrorGroupPage find(ErrorGroupQuery query, Instant now) {
        return store.errorGroups().find(query, now);
      }

      @Override
      public List<StoredOccurrence> occurrences(String id, int limit) {
        return store.errorGroups().occurrences(id, limit);
      }

      @Override
      public java.util.Optional<StatusChange> setStatus(String id, ErrorStatus status, String by, Instant now) {
        return store.errorGroups().setStatus(id, status, by, now);
      }
    };
    groups = ErrorGroups.builder(slow).clock(clock).meterRegistry(registry).capacity(2).start();
    JobError error = JobError.of("E", "x");

    groups.accept(failure("j0", error)); // taken by the writer, which then waits
    entered.await(5, TimeUnit.SECONDS);
    long started = System.nanoTime();
    for (int i = 1; i <= 10; i++) {
      groups.accept(failure("j" + i, error));
    }
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    groups.accept(new JobEvent("j99", "t", "social", JobState.RUNNING, JobState.SUCCEEDED, clock.instant(), null, 1,
        AttemptOutcome.SUCCEEDED, null));
    stuck.countDown();
    groups.flush();

    assertThat(tookMillis).as("accepting never waits for the store").isLessThan(1_000);
    assertThat(registry.get("vigil.error.occurrences.dropped").functionCounter().count()).isEqualTo(8);
    assertThat(groups.get(groups.groupId("t", error)).orElseThrow().count()).isEqualTo(3);
    store.close();
  }

  private JobEvent failure(String jobId, JobError error) {
    return new JobEvent(jobId, "t", "social", JobState.RUNNING, JobState.DEAD, clock.instant(), null, 1,
        AttemptOutcome.FAILED, error);
  }
}
