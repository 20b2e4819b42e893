package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.limits.LimitRule;
import dev.vigil.limits.LimitStatus;
import dev.vigil.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Limits per key on a real store: a job over a limit is held (ready, no attempt spent, the hold
 * in its snapshot) and starts as soon as its key allows, while other jobs of its lane keep
 * flowing. Each store runs this kit.
 */
abstract class KeyLimitsContract {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private Vigil vigil;

  /** A fresh, empty store. */
  abstract JobStore store();

  /** Deletes what {@link #store()} made, once the engine is closed. */
  void dispose() {}

  @AfterEach
  void stop() {
    release.countDown();
    if (vigil != null) {
      vigil.close();
    }
    dispose();
  }

  private void start(List<LimitRule> limits) {
    vigil = Vigil.builder()
        .store(store())
        .workers(8)
        .shutdownGrace(Duration.ZERO)
        .limits(limits)
        .handler("reply", ctx -> {
          started.add(ctx.jobId());
          order.add(ctx.jobId());
          release.await();
        })
        .handler("quick", ctx -> order.add(ctx.jobId()))
        .start();
  }

  @Test
  void a_full_concurrency_key_holds_its_other_jobs_while_other_keys_and_unkeyed_jobs_run() {
    start(List.of(new LimitRule("user:*", null, null, null, 1)));
    Job first = enqueue(JobRequest.builder("reply").lane("social").concurrencyKey("user:1").build());
    await().atMost(WAIT).until(() -> started.contains(first.id()));

    List<Job> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(enqueue(JobRequest.builder("reply").lane("social").concurrencyKey("user:1").build()));
    }
    Job other = enqueue(JobRequest.builder("reply").lane("social").concurrencyKey("user:2").build());
    Job free = enqueue(JobRequest.builder("quick").lane("social").build());

    await().atMost(WAIT).until(() -> started.contains(other.id()) && order.contains(free.id()));
    await().atMost(WAIT).untilAsserted(() -> {
      for (Job w : waiting) {
        Job now = vigil.get(w.id()).orElseThrow();
        assertThat(now.state()).isEqualTo(JobState.READY);
        assertThat(now.attempt()).as("no attempt spent").isZero();
        assertThat(now.hold()).isNotNull();
        assertThat(now.hold().by()).isEqualTo(Hold.LIMIT);
        assertThat(now.hold().key()).isEqualTo("user:1");
      }
    });
    assertThat(started).doesNotContainAnyElementsOf(waiting.stream().map(Job::id).toList());

    release.countDown();
    await().atMost(WAIT).until(() -> vigil.counts().getOrDefault(JobState.SUCCEEDED, 0L) == 8);
    for (Job w : waiting) {
      Job done = vigil.get(w.id()).orElseThrow();
      assertThat(done.attempt()).as("each ran once, held attempts not counted").isEqualTo(1);
      assertThat(done.hold()).isNull();
    }
    assertThat(order.subList(order.size() - 5, order.size()))
        .as("the held jobs of a key run oldest first")
        .containsExactlyElementsOf(waiting.stream().map(Job::id).toList());
  }

  @Test
  void a_rate_limit_starts_as_many_jobs_as_its_window_allows_and_holds_the_rest_until_it_refills() {
    start(List.of(new LimitRule("provider:openai", 2, null, Duration.ofHours(1), null)));
    Instant before = Instant.now();
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(enqueue(JobRequest.builder("quick").lane("cognition").limitKeys(List.of("provider:openai")).build()));
    }
    Job unkeyed = enqueue(JobRequest.builder("quick").lane("cognition").build());

    await().atMost(WAIT).until(() -> order.size() == 3);
    assertThat(order).contains(unkeyed.id());
    Job held = jobs.stream().map(j -> vigil.get(j.id()).orElseThrow()).filter(j -> j.state() == JobState.READY)
        .findFirst().orElseThrow();
    assertThat(held.hold().key()).isEqualTo("provider:openai");
    assertThat(held.hold().until()).as("when the window gives a start back")
        .isBetween(before.plus(Duration.ofMinutes(25)), Instant.now().plus(Duration.ofMinutes(31)));
    assertThat(held.attempt()).isZero();
  }

  @Test
  void a_units_limit_draws_each_jobs_cost() {
    start(List.of(new LimitRule("provider:anthropic", null, 1_000L, Duration.ofHours(1), null)));
    Job big = enqueue(JobRequest.builder("quick").lane("cognition").limitKeys(List.of("provider:anthropic")).cost(800L).build());
    await().atMost(WAIT).until(() -> order.contains(big.id()));
    Job tooMuch = enqueue(JobRequest.builder("quick").lane("cognition").limitKeys(List.of("provider:anthropic")).cost(300L).build());
    Job fits = enqueue(JobRequest.builder("quick").lane("cognition").limitKeys(List.of("provider:anthropic")).cost(200L).build());

    await().atMost(WAIT).until(() -> order.contains(fits.id()));
    Job held = vigil.get(tooMuch.id()).orElseThrow();
    assertThat(held.state()).isEqualTo(JobState.READY);
    assertThat(held.hold().key()).isEqualTo("provider:anthropic");
  }

  @Test
  void limits_show_each_keys_running_and_held_jobs_and_a_held_job_can_be_cancelled() {
    start(List.of(new LimitRule("user:*", null, null, null, 1), new LimitRule("provider:x", 5, null, Duration.ofHours(1), null)));
    Job first = enqueue(JobRequest.builder("reply").lane("social").concurrencyKey("user:1").limitKeys(List.of("provider:x")).build());
    await().atMost(WAIT).until(() -> started.contains(first.id()));
    Job second = enqueue(JobRequest.builder("reply").lane("social").concurrencyKey("user:1").build());
    await().atMost(WAIT).until(() -> vigil.get(second.id()).orElseThrow().hold() != null);

    assertThat(vigil.limits()).extracting(LimitStatus::key, LimitStatus::running, LimitStatus::waiting, LimitStatus::available)
        .containsExactly(tuple("provider:x", 1L, 0L, 4L), tuple("user:1", 1L, 1L, null));

    Job cancelled = vigil.cancel(second.id());
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(vigil.get(second.id()).orElseThrow().hold()).isNull();
    assertThat(vigil.limits()).filteredOn(l -> l.key().equals("user:1")).singleElement()
        .satisfies(l -> assertThat(l.waiting()).isZero());
  }

  @Test
  void a_tenant_with_a_thousand_queued_jobs_delays_another_tenants_job_by_at_most_one_turn_per_slot() {
    int slots = 2;
    Semaphore heavyMayEnd = new Semaphore(0);
    vigil = Vigil.builder()
        .store(store())
        .workers(slots)
        .shutdownGrace(Duration.ZERO)
        .handler("heavy", ctx -> {
          started.add(ctx.jobId());
          heavyMayEnd.acquire();
        })
        .handler("quick", ctx -> started.add(ctx.jobId()))
        .start();
    List<JobRequest> heavy = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      heavy.add(JobRequest.builder("heavy").lane("cognition").concurrencyKey("tenant:heavy").build());
    }
    List<String> heavyIds = vigil.enqueueAll(heavy).stream().map(Job::id).toList();
    await().atMost(WAIT).until(() -> started.size() == slots);

    Job light = enqueue(JobRequest.builder("quick").lane("cognition").concurrencyKey("tenant:light").build());
    Set<String> startedBefore = Set.copyOf(started);
    heavyMayEnd.release(1_000);
    await().atMost(WAIT).until(() -> started.contains(light.id()));

    // Handlers of one claim start in no set order; the claim's time orders the starts.
    Instant lightStart = vigil.get(light.id()).orElseThrow().startedAt();
    long heavyFirst = heavyIds.stream()
        .filter(id -> !startedBefore.contains(id))
        .map(id -> vigil.get(id).orElseThrow().startedAt())
        .filter(at -> at != null && at.isBefore(lightStart))
        .count();
    assertThat(heavyFirst)
        .as("heavy jobs started after the light one was queued and before it")
        .isLessThanOrEqualTo(slots);
  }

  private Job enqueue(JobRequest r) {
    return vigil.enqueue(r);
  }
}
