package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.EngineMetrics.Rejection;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EngineMetrics metrics = new EngineMetrics(registry, Lane.DEFAULTS, Set.of("reply"));

  private static Job job(JobState state) {
    return Job.builder()
        .id("j-1")
        .type("reply")
        .lane("cognition")
        .state(state)
        .createdAt(T0)
        .runAt(T0.plusSeconds(2))
        .startedAt(T0.plusSeconds(5))
        .uniqueKey("reply:p1")
        .correlationId("c-1")
        .build();
  }

  private double count(String name) {
    Counter c = registry.find(name).tags("lane", "cognition", "type", "reply").counter();
    return c == null ? 0 : c.count();
  }

  private Timer timer(String name) {
    return registry.find(name).tags("lane", "cognition", "type", "reply").timer();
  }

  @Test
  void a_job_that_succeeds_counts_once_in_each_step_and_records_its_wait_run_and_latency() {
    metrics.transition(job(JobState.READY), null, T0);
    metrics.transition(job(JobState.RUNNING), JobState.READY, T0.plusSeconds(5));
    metrics.transition(job(JobState.SUCCEEDED), JobState.RUNNING, T0.plusSeconds(8));

    assertThat(count("vigil.jobs.enqueued")).isEqualTo(1);
    assertThat(count("vigil.jobs.started")).isEqualTo(1);
    assertThat(count("vigil.jobs.succeeded")).isEqualTo(1);
    assertThat(count("vigil.jobs.failed")).isZero();
    assertThat(timer("vigil.job.queue.wait").totalTime(TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(timer("vigil.job.run").totalTime(TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(timer("vigil.job.latency").totalTime(TimeUnit.SECONDS)).isEqualTo(8);
  }

  @Test
  void a_failed_attempt_with_attempts_left_counts_as_failed_and_retried_and_one_without_as_dead() {
    metrics.transition(job(JobState.SCHEDULED), JobState.RUNNING, T0.plusSeconds(6));
    metrics.transition(job(JobState.DEAD), JobState.RUNNING, T0.plusSeconds(9));

    assertThat(count("vigil.jobs.failed")).isEqualTo(2);
    assertThat(count("vigil.jobs.retried")).isEqualTo(1);
    assertThat(count("vigil.jobs.dead")).isEqualTo(1);
    assertThat(count("vigil.jobs.succeeded")).isZero();
    assertThat(timer("vigil.job.run").count()).isEqualTo(2);
    assertThat(timer("vigil.job.latency").count()).isZero();
  }

  @Test
  void cancelled_jobs_count_whether_they_were_waiting_or_running_and_a_promotion_moves_nothing() {
    metrics.transition(job(JobState.CANCELLED), JobState.READY, T0);
    metrics.transition(job(JobState.CANCELLED), JobState.RUNNING, T0.plusSeconds(7));
    metrics.transition(job(JobState.READY), JobState.SCHEDULED, T0);

    assertThat(count("vigil.jobs.cancelled")).isEqualTo(2);
    assertThat(count("vigil.jobs.failed")).isZero();
    assertThat(timer("vigil.job.run").count()).isEqualTo(1);
    assertThat(registry.find("vigil.jobs.enqueued").counter().count()).isZero();
  }

  @Test
  void queue_wait_starts_at_creation_when_the_job_was_due_before_it_was_created() {
    Job backdated = job(JobState.RUNNING).toBuilder().runAt(T0.minusSeconds(3600)).build();

    metrics.transition(backdated, JobState.READY, T0.plusSeconds(5));

    assertThat(timer("vigil.job.queue.wait").totalTime(TimeUnit.SECONDS)).isEqualTo(5);
  }

  @Test
  void labels_are_bounded_names_and_never_ids_keys_or_correlation() {
    metrics.transition(job(JobState.READY), null, T0);

    registry.getMeters().forEach(m -> assertThat(m.getId().getTags())
        .allSatisfy(t -> assertThat(t.getKey()).isIn("lane", "type", "reason", "state", "operation", "le", "to")));
    assertThat(registry.getMeters())
        .flatMap(m -> m.getId().getTags())
        .noneMatch(t -> t.getValue().equals("j-1") || t.getValue().equals("reply:p1") || t.getValue().equals("c-1"));
  }

  @Test
  void a_lane_that_is_not_configured_is_labelled_other() {
    metrics.transition(job(JobState.READY).toBuilder().lane("retired").build(), null, T0);

    assertThat(registry.find("vigil.jobs.enqueued").tags("lane", "other", "type", "reply").counter().count())
        .isEqualTo(1);
    assertThat(registry.find("vigil.jobs.enqueued").tags("lane", "retired").counter()).isNull();
  }

  @Test
  void rejections_are_counted_by_reason_with_an_over_limit_payload_told_apart_from_other_faults() {
    var tooLarge = new InvalidRequestException("payload", EngineMetrics.PAYLOAD_TOO_LARGE_MESSAGE + " 10 bytes");
    var badLane = new InvalidRequestException("jobs[1].lane", "unknown lane 'nope'");
    var batchTooLarge =
        new InvalidRequestException("jobs[0].payload", EngineMetrics.PAYLOAD_TOO_LARGE_MESSAGE + " 10 bytes");

    metrics.rejected(List.of(JobRequest.builder("reply").lane("cognition").build()), tooLarge);
    metrics.rejected(
        List.of(JobRequest.builder("reply").lane("cognition").build(), JobRequest.builder("reply").lane("nope").build()),
        badLane);
    metrics.rejected(
        List.of(JobRequest.builder("reply").lane("cognition").build(), JobRequest.builder("").build()), batchTooLarge);
    metrics.rejected("cognition", "reply", Rejection.DUPLICATE, 1);

    assertThat(rejected("cognition", "reply", "payload_too_large")).isEqualTo(2);
    assertThat(rejected("cognition", "reply", "invalid")).isEqualTo(1);
    assertThat(rejected("other", "reply", "invalid")).isEqualTo(1);
    assertThat(rejected("background", "invalid", "invalid")).isEqualTo(1);
    assertThat(rejected("cognition", "reply", "duplicate")).isEqualTo(1);
  }

  private double rejected(String lane, String type, String reason) {
    Counter c = registry.find("vigil.jobs.rejected").tags("lane", lane, "type", type, "reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void close_removes_every_meter_the_engine_registered() {
    metrics.transition(job(JobState.READY), null, T0);
    metrics.rejected("cognition", "reply", Rejection.DUPLICATE, 1);
    assertThat(registry.getMeters()).isNotEmpty();

    metrics.close();

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void disabled_metrics_record_nothing_and_register_nothing() {
    EngineMetrics.DISABLED.transition(job(JobState.READY), null, T0);
    EngineMetrics.DISABLED.rejected("cognition", "reply", Rejection.INVALID, 1);
    EngineMetrics.DISABLED.leaseRescued();

    assertThat(EngineMetrics.DISABLED.enabled()).isFalse();
  }

  @Test
  void job_histograms_have_buckets_from_ten_milliseconds_to_ten_minutes() {
    metrics.transition(job(JobState.READY), null, T0);

    var buckets = timer("vigil.job.run").takeSnapshot().histogramCounts();
    assertThat(buckets[0].bucket(TimeUnit.MILLISECONDS)).isEqualTo(10);
    assertThat(buckets[buckets.length - 1].bucket(TimeUnit.MINUTES)).isEqualTo(10);
    assertThat(Duration.ofNanos((long) buckets[buckets.length - 1].bucket())).isEqualTo(Duration.ofMinutes(10));
  }
}
