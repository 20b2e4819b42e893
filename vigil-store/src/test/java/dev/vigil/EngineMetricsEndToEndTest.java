package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.SqliteJobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's meters on a real SQLite store: they move as an operator would expect. */
class EngineMetricsEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Vigil vigil;

  @AfterEach
  void close() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private Vigil.Builder engine() {
    return Vigil.builder()
        .store(SqliteJobStore.builder(dir.resolve("vigil.db")).meterRegistry(registry).build())
        .meterRegistry(registry)
        .shutdownGrace(Duration.ofSeconds(5));
  }

  private double counter(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private Timer timer(String name, String... tags) {
    return registry.find(name).tags(tags).timer();
  }

  private void awaitState(String id, JobState state) {
    await().atMost(WAIT).until(() -> vigil.get(id).orElseThrow().state() == state);
  }

  @Test
  void a_succeeded_job_moves_enqueued_started_and_succeeded_of_its_lane_and_type_and_records_its_times() {
    vigil = engine().handler("reply", ctx -> ctx.result(Map.of("ok", true))).start();

    Job job = vigil.enqueue(JobRequest.builder("reply").lane("cognition").build());
    awaitState(job.id(), JobState.SUCCEEDED);

    String[] labels = {"lane", "cognition", "type", "reply"};
    await().atMost(WAIT).until(() -> counter("vigil.jobs.succeeded", labels) == 1);
    assertThat(counter("vigil.jobs.enqueued", labels)).isEqualTo(1);
    assertThat(counter("vigil.jobs.started", labels)).isEqualTo(1);
    assertThat(counter("vigil.jobs.failed", labels)).isZero();
    assertThat(timer("vigil.job.queue.wait", labels).count()).isEqualTo(1);
    assertThat(timer("vigil.job.run", labels).count()).isEqualTo(1);
    assertThat(timer("vigil.job.latency", labels).count()).isEqualTo(1);
    assertThat(counter("vigil.jobs.succeeded", "lane", "background")).isZero();
  }

  @Test
  void a_failing_job_counts_a_retry_then_dead_when_its_attempts_run_out() {
    var calls = new AtomicInteger();
    vigil =
        engine()
            .retryPolicy(new RetryPolicy(2, Duration.ZERO, Duration.ZERO))
            .handler(
                "flaky",
                ctx -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("model overloaded");
                })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("flaky").lane("social").build());
    awaitState(job.id(), JobState.DEAD);

    String[] labels = {"lane", "social", "type", "flaky"};
    await().atMost(WAIT).until(() -> counter("vigil.jobs.dead", labels) == 1);
    assertThat(counter("vigil.jobs.started", labels)).isEqualTo(2);
    assertThat(counter("vigil.jobs.failed", labels)).isEqualTo(2);
    assertThat(counter("vigil.jobs.retried", labels)).isEqualTo(1);
    assertThat(counter("vigil.jobs.succeeded", labels)).isZero();
    assertThat(timer("vigil.job.run", labels).count()).isEqualTo(2);
  }

  @Test
  void duplicates_invalid_requests_and_oversized_payloads_are_counted_as_rejected_by_reason() {
    vigil = engine().maxPayloadBytes(64).start();

    vigil.enqueue(JobRequest.builder("digest").uniqueKey("digest:u1").build());
    vigil.enqueue(JobRequest.builder("digest").uniqueKey("digest:u1").build());
    assertThatThrownBy(() -> vigil.enqueue(JobRequest.builder("digest").lane("nope").build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> vigil.enqueue(JobRequest.builder("digest").payload(Map.of("text", "x".repeat(100))).build()))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(counter("vigil.jobs.rejected", "lane", "background", "type", "digest", "reason", "duplicate")).isEqualTo(1);
    assertThat(counter("vigil.jobs.rejected", "lane", "other", "type", "digest", "reason", "invalid")).isEqualTo(1);
    assertThat(counter("vigil.jobs.rejected", "lane", "background", "type", "digest", "reason", "payload_too_large"))
        .isEqualTo(1);
    assertThat(counter("vigil.jobs.enqueued", "lane", "background", "type", "digest")).isEqualTo(1);
  }

  @Test
  void queue_depth_and_oldest_ready_age_come_from_the_store() {
    var clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    vigil = engine().clock(clock).start();

    vigil.enqueue(JobRequest.builder("digest").lane("sensory").build());
    vigil.enqueue(JobRequest.builder("digest").lane("sensory").build());
    vigil.enqueue(JobRequest.builder("digest").lane("sensory").delay(Duration.ofHours(1)).build());
    clock.advance(Duration.ofSeconds(90));
    vigil.runDueNow(); // the reading the engine takes each second

    assertThat(gauge("vigil.queue.depth", "lane", "sensory", "state", "ready")).isEqualTo(2);
    assertThat(gauge("vigil.queue.depth", "lane", "sensory", "state", "scheduled")).isEqualTo(1);
    assertThat(gauge("vigil.queue.depth", "lane", "sensory", "state", "running")).isZero();
    assertThat(gauge("vigil.queue.depth", "lane", "cognition", "state", "ready")).isZero();
    assertThat(gauge("vigil.queue.oldest.ready.age", "lane", "sensory")).isEqualTo(90);
    assertThat(gauge("vigil.queue.oldest.ready.age", "lane", "cognition")).isZero();
  }

  @Test
  void scrapes_read_lane_depths_from_the_store_at_most_once_per_interval() {
    // a clock that stays still: the engine reads the depths at start and at its first
    // housekeeping turn, then leaves them to the scrapes
    vigil = engine().clock(new ManualClock(Instant.parse("2026-01-05T10:00:00Z"))).start();
    vigil.enqueue(JobRequest.builder("digest").build());
    Timer laneDepths = timer("vigil.store.operation", "operation", "lane_depths");
    long before = laneDepths.count();

    for (int scrape = 0; scrape < 50; scrape++) {
      registry.find("vigil.queue.depth").gauges().forEach(Gauge::value);
    }

    assertThat(laneDepths.count() - before).isLessThanOrEqualTo(1);
  }

  @Test
  void running_jobs_and_slot_utilisation_count_this_nodes_busy_slots_by_lane() throws Exception {
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    vigil =
        engine()
            .workers(4)
            .handler(
                "dream",
                ctx -> {
                  started.countDown();
                  release.await();
                })
            .start();

    Job job = vigil.enqueue(JobRequest.builder("dream").lane("background").build());
    started.await();

    assertThat(gauge("vigil.jobs.running", "lane", "background")).isEqualTo(1);
    assertThat(gauge("vigil.worker.slot.utilisation", "lane", "background")).isEqualTo(0.25);
    assertThat(gauge("vigil.worker.slot.utilisation", "lane", "cognition")).isZero();
    assertThat(gauge("vigil.worker.slots")).isEqualTo(4);
    release.countDown();
    awaitState(job.id(), JobState.SUCCEEDED);
    await().atMost(WAIT).until(() -> gauge("vigil.jobs.running", "lane", "background") == 0);
  }

  @Test
  void store_calls_are_timed_by_operation_and_group_commits_by_batch_size() {
    vigil = engine().handler("reply", ctx -> {}).start();

    Job job = vigil.enqueue(JobRequest.builder("reply").build());
    awaitState(job.id(), JobState.SUCCEEDED);

    assertThat(timer("vigil.store.operation", "operation", "enqueue").count()).isEqualTo(1);
    assertThat(timer("vigil.store.operation", "operation", "claim").count()).isPositive();
    await().atMost(WAIT).until(() -> timer("vigil.store.operation", "operation", "finish_all").count() == 1);
    assertThat(registry.find("vigil.group.commit.batch.size").summary().count()).isPositive();
  }

  @Test
  void an_expired_remote_lease_taken_back_counts_as_a_lease_rescue() throws Exception {
    var clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    vigil = engine().clock(clock).start();
    vigil.enqueue(JobRequest.builder("scrape").lane("social").build());
    List<Job> claimed =
        vigil.claim(new WorkerClaim("py-1", List.of(), Set.of(), 1, Duration.ZERO, Duration.ofSeconds(1)));
    assertThat(claimed).hasSize(1);

    clock.advance(Duration.ofSeconds(5));
    vigil.runDueNow();

    assertThat(counter("vigil.lease.rescues")).isEqualTo(1);
    assertThat(counter("vigil.jobs.failed", "lane", "social", "type", "scrape")).isEqualTo(1);
    assertThat(counter("vigil.jobs.retried", "lane", "social", "type", "scrape")).isEqualTo(1);
  }

  @Test
  void the_dispatcher_heartbeat_is_recent_while_handlers_run_here_and_absent_without_handlers() {
    vigil = engine().handler("reply", ctx -> {}).start();
    assertThat(vigil.dispatcherHeartbeat()).hasValueSatisfying(
        at -> assertThat(Duration.between(at, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5)));
    vigil.close();

    vigil = Vigil.builder().store(SqliteJobStore.open(dir.resolve("other.db"))).start();
    assertThat(vigil.dispatcherHeartbeat()).isEmpty();
  }

  @Test
  void engine_wide_gauges_are_registered_and_closing_the_engine_removes_its_meters() {
    vigil = engine().start();
    assertThat(gauge("vigil.claims.waiting")).isZero();
    assertThat(registry.find("vigil.event.bus.dropped").functionCounter().count()).isZero();

    vigil.close();

    assertThat(registry.find("vigil.queue.depth").meters()).isEmpty();
    assertThat(registry.find("vigil.store.operation").meters()).isEmpty();
    assertThat(registry.find("vigil.claims.waiting").meters()).isEmpty();
  }
}
