package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.WorkerClaim;
import dev.vigil.limits.BreakerEvent;
import dev.vigil.limits.BreakerSettings;
import dev.vigil.limits.BreakerState;
import dev.vigil.limits.BreakerStatus;
import dev.vigil.limits.LimitRule;
import dev.vigil.store.JobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Circuit breakers on a real store, with the default settings (half of the last 20 attempts within
 * 60 s, open 30 s doubling to 5 min): they open on retryable failures, hold their jobs without
 * spending an attempt, let one probe through after the cool-down, close on its success and open
 * again, for twice as long, on its failure. Time is a {@link ManualClock}; jobs are claimed and
 * finished as a remote worker would, so every attempt's outcome is the test's. Each store's test
 * class says only how to open its store.
 */
abstract class BreakersContract {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration LEASE = Duration.ofMinutes(5);

  final ManualClock clock = new ManualClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<BreakerEvent> changes = new CopyOnWriteArrayList<>();
  Vigil vigil;

  /** A new, empty store for one engine. */
  abstract JobStore newStore();

  /** Deletes what {@link #newStore()} made, once the engines are closed. */
  void dispose() {}

  @AfterEach
  void closeEngine() {
    if (vigil != null) {
      vigil.close();
    }
    dispose();
  }

  /** Lanes without reserved slots, so a remote worker may take any lane's jobs. */
  static List<Lane> lanes() {
    return Lane.DEFAULTS.stream().map(l -> l.withReserved(0)).toList();
  }

  /** An engine without in-process handlers: jobs wait for the test's claims. Retries are due at once. */
  Vigil start(List<LimitRule> limits) {
    vigil = Vigil.builder()
        .store(newStore())
        .clock(clock)
        .meterRegistry(registry)
        .lanes(lanes())
        .limits(limits)
        .retryPolicy(new RetryPolicy(10, Duration.ZERO, Duration.ZERO))
        .maintenanceInterval(Duration.ofHours(1))
        .shutdownGrace(Duration.ZERO)
        .start();
    vigil.subscribeBreakers(changes::add);
    return vigil;
  }

  List<Job> enqueue(String type, int n, List<String> limitKeys) {
    var out = new ArrayList<Job>();
    for (int i = 0; i < n; i++) {
      out.add(vigil.enqueue(JobRequest.builder(type).lane("background").limitKeys(limitKeys).build()));
    }
    return out;
  }

  List<Job> claim(int max, Set<String> types) {
    try {
      return vigil.claim(new WorkerClaim("py-1", List.of(), types, max, Duration.ZERO, LEASE));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  void fail(List<Job> jobs, boolean retryable) {
    for (Job j : jobs) {
      vigil.fail(j.id(), j.leaseToken(), JobError.of("ProviderUnavailable", "503 from the provider"), retryable);
    }
  }

  BreakerStatus breaker(String key) {
    return vigil.breakers().stream().filter(b -> b.key().equals(key)).findFirst().orElseThrow();
  }

  /** Fails 20 attempts of {@code call} among 30 ready: its breaker opens at {@code T0}. */
  List<Job> openTheCallBreaker() {
    List<Job> jobs = enqueue("call", 30, List.of());
    fail(claim(20, Set.of("call")), true);
    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.OPEN);
    return jobs;
  }

  void later(Duration d) {
    clock.advance(d);
    vigil.runDueNow();
  }

  @Test
  void twenty_failed_attempts_open_the_types_breaker_which_holds_its_jobs_without_spending_an_attempt() {
    start(List.of());
    List<Job> calls = enqueue("call", 30, List.of());
    Job other = enqueue("other", 1, List.of()).get(0);

    List<Job> first = claim(19, Set.of("call"));
    fail(first, true);
    assertThat(breaker("type:call").state()).as("19 attempts are fewer than min_attempts").isEqualTo(BreakerState.CLOSED);
    fail(claim(1, Set.of("call")), true);

    BreakerStatus open = breaker("type:call");
    assertThat(open.state()).isEqualTo(BreakerState.OPEN);
    assertThat(open.since()).isEqualTo(T0);
    assertThat(open.failureRatio()).isEqualTo(1.0);
    assertThat(open.nextProbeAt()).isEqualTo(T0.plusSeconds(30));

    List<Job> others = claim(25, Set.of());
    assertThat(others).as("the other type still runs; no call job starts").extracting(Job::id).containsExactly(other.id());
    vigil.complete(other.id(), others.get(0).leaseToken(), null);
    vigil.runDueNow(); // the failed attempts' retries are due: ready, and held when a claim meets them
    assertThat(claim(25, Set.of())).isEmpty();

    for (Job j : calls) {
      Job now = vigil.get(j.id()).orElseThrow();
      assertThat(now.state()).isEqualTo(JobState.READY);
      assertThat(now.hold()).isEqualTo(new Hold(Hold.BREAKER, "type:call", T0.plusSeconds(30)));
      assertThat(now.attempt()).as("only the attempt that failed, none for the hold").isLessThanOrEqualTo(1);
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(changes)
        .extracting(BreakerEvent::key, BreakerEvent::from, BreakerEvent::to, BreakerEvent::nextProbeAt, BreakerEvent::at)
        .containsExactly(tuple("type:call", BreakerState.CLOSED, BreakerState.OPEN, T0.plusSeconds(30), T0)));
    assertThat(registry.get("vigil.breaker.state").tag("key", "type:call").gauge().value()).isEqualTo(2);
    assertThat(registry.get("vigil.breaker.transitions").tags("key", "type:call", "to", "open").counter().count())
        .isEqualTo(1);
    assertThat(breaker("type:other").state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void after_the_cool_down_one_probe_runs_and_its_success_closes_the_breaker_and_releases_every_held_job() {
    start(List.of());
    openTheCallBreaker();
    claim(25, Set.of()); // meets the ready call jobs and holds them all
    later(Duration.ofSeconds(29));
    assertThat(claim(25, Set.of())).as("still cooling down").isEmpty();

    later(Duration.ofSeconds(1));
    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.HALF_OPEN);
    List<Job> probe = claim(25, Set.of());
    assertThat(probe).as("exactly one probe").hasSize(1);
    assertThat(claim(25, Set.of())).as("the others stay held while the probe runs").isEmpty();
    assertThat(registry.get("vigil.breaker.state").tag("key", "type:call").gauge().value()).isEqualTo(1);

    vigil.complete(probe.get(0).id(), probe.get(0).leaseToken(), null);

    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker("type:call").since()).isEqualTo(T0.plusSeconds(30));
    List<Job> released = claim(50, Set.of());
    assertThat(released).as("every other call job, released at once").hasSize(29);
    assertThat(released).allSatisfy(j -> assertThat(j.hold()).isNull());
    assertThat(registry.get("vigil.breaker.state").tag("key", "type:call").gauge().value()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(changes).extracting(BreakerEvent::to)
        .containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED));
  }

  @Test
  void a_failed_probe_opens_the_breaker_again_for_twice_the_cool_down() {
    start(List.of());
    openTheCallBreaker();

    later(Duration.ofSeconds(30));
    List<Job> probe = claim(25, Set.of());
    assertThat(probe).hasSize(1);
    fail(probe, true);
    Instant reopened = T0.plusSeconds(30);
    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker("type:call").nextProbeAt()).isEqualTo(reopened.plusSeconds(60));

    later(Duration.ofSeconds(59));
    assertThat(claim(25, Set.of())).as("59 s of a 60 s cool-down").isEmpty();
    later(Duration.ofSeconds(1));
    probe = claim(25, Set.of());
    assertThat(probe).hasSize(1);
    fail(probe, true);
    assertThat(breaker("type:call").nextProbeAt()).as("doubled again").isEqualTo(reopened.plusSeconds(60 + 120));

    for (Job j : vigil.find(JobQuery.all().withStates(Set.of(JobState.READY)).withLimit(100)).jobs()) {
      assertThat(j.attempt()).as("a held job spends no attempt: at most its first failure and one probe")
          .isLessThanOrEqualTo(2);
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(changes).extracting(BreakerEvent::to).containsExactly(
        BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.OPEN));
    assertThat(registry.get("vigil.breaker.transitions").tags("key", "type:call", "to", "open").counter().count())
        .isEqualTo(3);
  }

  @Test
  void a_probe_given_back_unstarted_frees_its_place_for_another() {
    start(List.of());
    openTheCallBreaker();
    later(Duration.ofSeconds(30));
    List<Job> probe = claim(25, Set.of());
    assertThat(probe).hasSize(1);

    vigil.unclaim(probe); // the worker never got it: ready again, no verdict will ever come
    assertThat(claim(25, Set.of())).as("its place is still taken").isEmpty();
    later(Breakers.PROBE_GRACE); // the housekeeper sees the probe's job no longer runs
    later(Duration.ofSeconds(20)); // the half-open holds end

    assertThat(claim(25, Set.of())).as("another probe").hasSize(1);
    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.HALF_OPEN);
  }

  @Test
  void a_job_a_limit_holds_does_not_take_the_probes_place() {
    start(List.of(new LimitRule("provider:y", 1, null, Duration.ofHours(1), null)));
    for (int i = 0; i < 20; i++) {
      vigil.enqueue(JobRequest.builder("call").lane("background").maxAttempts(1).build());
    }
    fail(claim(20, Set.of("call")), true); // retryable, but their last attempt: dead, and counted
    Job spent = enqueue("other", 1, List.of("provider:y")).get(0);
    Job drew = claim(1, Set.of("other")).get(0);
    vigil.complete(spent.id(), drew.leaseToken(), null); // provider:y has no start left this hour
    Job keyed = enqueue("call", 1, List.of("provider:y")).get(0);
    Job plain = enqueue("call", 1, List.of()).get(0);

    later(Duration.ofSeconds(30));
    List<Job> probe = claim(25, Set.of());

    assertThat(probe).as("the keyed job, met first, is held by its limit; the next is the probe")
        .extracting(Job::id).containsExactly(plain.id());
    assertThat(vigil.get(keyed.id()).orElseThrow().hold().by()).isEqualTo(Hold.LIMIT);
  }

  @Test
  void failures_that_are_not_retryable_and_cancellations_do_not_count() {
    start(List.of());
    enqueue("call", 40, List.of());
    fail(claim(25, Set.of("call")), false);
    List<Job> running = claim(15, Set.of("call"));
    running.forEach(j -> vigil.cancel(j.id()));

    BreakerStatus b = breaker("type:call");
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(b.failureRatio()).isZero();
  }

  @Test
  void successes_keep_the_ratio_below_the_threshold() {
    start(List.of());
    enqueue("call", 40, List.of());
    List<Job> jobs = claim(40, Set.of("call"));
    for (int i = 0; i < jobs.size(); i++) {
      Job j = jobs.get(i);
      if (i % 2 == 0) {
        vigil.complete(j.id(), j.leaseToken(), null); // 20 successes and 20 failures, alternating
      } else {
        fail(List.of(j), true);
      }
    }
    // after 20 attempts, 10 have failed: half is the threshold, so the twentieth attempt opens it
    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker("type:call").failureRatio()).isEqualTo(0.5);

    vigil.close();
    start(List.of());
    enqueue("call", 20, List.of());
    jobs = claim(20, Set.of("call"));
    for (int i = 0; i < jobs.size(); i++) {
      Job j = jobs.get(i);
      if (i < 11) {
        vigil.complete(j.id(), j.leaseToken(), null);
      } else {
        fail(List.of(j), true);
      }
    }
    assertThat(breaker("type:call").state()).as("9 of 20 failed").isEqualTo(BreakerState.CLOSED);
    assertThat(breaker("type:call").failureRatio()).isEqualTo(0.45);
  }

  @Test
  void attempts_older_than_the_window_do_not_count() {
    start(List.of());
    enqueue("call", 20, List.of());
    fail(claim(10, Set.of("call")), true);
    later(Duration.ofSeconds(61));
    fail(claim(10, Set.of("call")), true);

    assertThat(breaker("type:call").state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker("type:call").failureRatio()).as("10 attempts in the window, all failed").isEqualTo(1.0);
  }

  @Test
  void a_limit_key_the_limits_name_has_a_breaker_of_its_own_across_job_types() {
    start(List.of(new LimitRule("provider:x", 10_000, null, Duration.ofHours(1), null)));
    enqueue("summarise", 10, List.of("provider:x"));
    enqueue("reply", 10, List.of("provider:x", "tenant:acme"));
    fail(claim(20, Set.of()), true);

    assertThat(vigil.breakers()).extracting(BreakerStatus::key, BreakerStatus::state).containsExactly(
        tuple("provider:x", BreakerState.OPEN),
        tuple("type:reply", BreakerState.CLOSED),
        tuple("type:summarise", BreakerState.CLOSED));
    Job keyed = enqueue("translate", 1, List.of("provider:x")).get(0);
    Job free = enqueue("translate", 1, List.of()).get(0);

    assertThat(claim(25, Set.of("translate"))).extracting(Job::id).containsExactly(free.id());
    assertThat(vigil.get(keyed.id()).orElseThrow().hold())
        .isEqualTo(new Hold(Hold.BREAKER, "provider:x", T0.plusSeconds(30)));
    assertThat(registry.get("vigil.breaker.state").tag("key", "provider:x").gauge().value()).isEqualTo(2);
  }

  @Test
  void switched_off_nothing_is_counted_or_held() {
    vigil = Vigil.builder()
        .store(newStore())
        .clock(clock)
        .lanes(lanes())
        .breakers(BreakerSettings.DISABLED)
        .retryPolicy(new RetryPolicy(10, Duration.ZERO, Duration.ZERO))
        .maintenanceInterval(Duration.ofHours(1))
        .shutdownGrace(Duration.ZERO)
        .start();
    enqueue("call", 30, List.of());
    fail(claim(25, Set.of("call")), true);

    assertThat(vigil.breakers()).isEmpty();
    assertThat(claim(25, Set.of("call"))).hasSize(5);
  }

  /**
   * The outage: a provider down for 2 minutes, 40 jobs that call it, 3 attempts each with
   * up to 5 s between them. With the breaker, every job succeeds once the provider is back;
   * without it ({@link #without_the_breaker_the_same_outage_kills_every_job}), every job uses up
   * its attempts within seconds and ends dead.
   */
  @Test
  void a_two_minute_provider_outage_ends_with_every_job_succeeded_and_none_dead() {
    runOutage(BreakerSettings.DEFAULTS);

    assertThat(vigil.counts()).containsEntry(JobState.SUCCEEDED, 40L).containsEntry(JobState.DEAD, 0L);
    await().atMost(WAIT).untilAsserted(() -> assertThat(changes).extracting(BreakerEvent::to, BreakerEvent::at).containsExactly(
        tuple(BreakerState.OPEN, T0),
        tuple(BreakerState.HALF_OPEN, T0.plusSeconds(30)),
        tuple(BreakerState.OPEN, T0.plusSeconds(30)),
        tuple(BreakerState.HALF_OPEN, T0.plusSeconds(90)),
        tuple(BreakerState.OPEN, T0.plusSeconds(90)),
        tuple(BreakerState.HALF_OPEN, T0.plusSeconds(210)),
        tuple(BreakerState.CLOSED, T0.plusSeconds(210))));
    assertThat(changes).filteredOn(e -> e.to() == BreakerState.OPEN).extracting(BreakerEvent::nextProbeAt)
        .as("30 s, then doubled on each failed probe")
        .containsExactly(T0.plusSeconds(30), T0.plusSeconds(90), T0.plusSeconds(210));
  }

  @Test
  void without_the_breaker_the_same_outage_kills_every_job() {
    runOutage(BreakerSettings.DISABLED);

    assertThat(vigil.counts()).containsEntry(JobState.SUCCEEDED, 0L).containsEntry(JobState.DEAD, 40L);
    assertThat(vigil.find(JobQuery.all().withStates(Set.of(JobState.DEAD)).withLimit(100)).jobs())
        .allSatisfy(j -> assertThat(j.finishedAt()).isBefore(T0.plus(Duration.ofMinutes(2))));
  }

  /**
   * Runs 40 in-process jobs of a provider that fails until {@code T0 + 2 min}, moving the clock 5 s
   * at a time for 5 minutes and letting the engine settle after each step.
   */
  private void runOutage(BreakerSettings breakers) {
    Instant back = T0.plus(Duration.ofMinutes(2));
    vigil = Vigil.builder()
        .store(newStore())
        .clock(clock)
        .lanes(lanes())
        .workers(4)
        .prefetch(0)
        .breakers(breakers)
        .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .handler("provider.call", ctx -> {
          if (clock.instant().isBefore(back)) {
            throw new IllegalStateException("the provider answers 503");
          }
        })
        .maintenanceInterval(Duration.ofHours(1))
        .shutdownGrace(Duration.ZERO)
        .start();
    vigil.subscribeBreakers(changes::add);
    for (int i = 0; i < 40; i++) {
      vigil.enqueue(JobRequest.builder("provider.call").lane("social").build());
    }
    settle();
    for (int step = 0; step < 60; step++) {
      later(Duration.ofSeconds(5));
      settle();
    }
  }

  /** Waits until no job runs and every ready job is held: the engine has done all it can at this instant. */
  private void settle() {
    await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() ->
        vigil.find(JobQuery.all().withStates(Set.of(JobState.RUNNING, JobState.READY)).withLimit(JobQuery.MAX_LIMIT))
            .jobs().stream().allMatch(j -> j.state() == JobState.READY && j.hold() != null));
  }
}
