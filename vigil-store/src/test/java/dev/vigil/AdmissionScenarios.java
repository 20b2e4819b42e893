package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.vigil.JobRejectedException.Reason;
import dev.vigil.job.Backpressure.Level;
import dev.vigil.job.BackpressureEvent;
import dev.vigil.job.Job;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.job.LaneStatus;
import dev.vigil.job.WorkerClaim;
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
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Backpressure and admission on a real store, as an embedding application sees them: what is
 * refused, why, with which retry-after, and that a refusal stores nothing. Time is a {@link
 * ManualClock}; {@link Vigil#runDueNow()} takes the reading the engine otherwise takes each
 * second. No handler runs here, so jobs stay ready until a test claims them as a remote worker.
 * Each store's test class says only how to open its store.
 */
abstract class AdmissionScenarios {
  static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Vigil vigil;

  /** A new, empty store for one engine. */
  abstract JobStore newStore();

  @AfterEach
  void closeEngine() {
    if (vigil != null) {
      vigil.close();
    }
  }

  /** An engine on a new store whose lanes are the defaults, each changed by {@code lanes}. */
  Vigil start(Lane... lanes) {
    return start(List.of(), lanes);
  }

  /** As {@link #start(Lane...)}, with limits per key. */
  Vigil start(List<LimitRule> limits, Lane... lanes) {
    // no housekeeping thread: the readings are the test's runDueNow calls and the one at start
    Vigil.Builder b =
        Vigil.builder()
            .store(newStore())
            .clock(clock)
            .meterRegistry(registry)
            .maintenanceInterval(Duration.ofHours(1))
            .limits(limits)
            .shutdownGrace(Duration.ZERO);
    for (Lane lane : lanes) {
      b.lane(lane);
    }
    vigil = b.start();
    return vigil;
  }

  static Lane lane(String name) {
    return Lane.DEFAULTS.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().withReserved(0);
  }

  static List<JobRequest> jobs(String lane, int n) {
    var out = new ArrayList<JobRequest>();
    for (int i = 0; i < n; i++) {
      out.add(JobRequest.builder("work").lane(lane).build());
    }
    return out;
  }

  long stored(String lane) {
    return vigil.find(JobQuery.all().withLane(lane).withLimit(JobQuery.MAX_LIMIT)).jobs().size();
  }

  LaneStatus status(String lane) {
    return vigil.lanes().stream().filter(s -> s.lane().name().equals(lane)).findFirst().orElseThrow();
  }

  JobRejectedException refused(JobRequest request) {
    return catchThrowableOfType(JobRejectedException.class, () -> vigil.enqueue(request));
  }

  double rejections(String lane, String reason) {
    var counter = registry.find("vigil.jobs.rejected").tags("lane", lane, "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void a_lane_at_max_ready_refuses_with_lane_full_and_stores_nothing() {
    start(lane("background").withMaxReady(3));
    vigil.enqueueAll(jobs("background", 3));

    JobRejectedException e = refused(JobRequest.builder("work").lane("background").build());

    assertThat(e.reason()).isEqualTo(Reason.LANE_FULL);
    assertThat(e.lane()).isEqualTo("background");
    assertThat(e.retryAfter()).as("nothing drained yet: the longest").isEqualTo(Duration.ofMinutes(5));
    assertThat(e).hasMessage("lane background is full: max_ready is 3 and this request would make 4 ready jobs; retry after 300 s");
    assertThat(stored("background")).isEqualTo(3);
    assertThat(rejections("background", "lane_full")).isEqualTo(1);
  }

  @Test
  void a_batch_that_would_pass_max_ready_is_refused_whole() {
    start(lane("background").withMaxReady(3));
    vigil.enqueueAll(jobs("background", 2));
    var batch = new ArrayList<JobRequest>();
    batch.add(JobRequest.builder("chat").lane("cognition").build());
    batch.addAll(jobs("background", 2));

    assertThatThrownBy(() -> vigil.enqueueAll(batch))
        .isInstanceOfSatisfying(JobRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LANE_FULL));

    assertThat(stored("cognition")).isZero();
    assertThat(stored("background")).isEqualTo(2);
    assertThat(rejections("cognition", "lane_full") + rejections("background", "lane_full")).isEqualTo(3);
    vigil.enqueue(JobRequest.builder("work").lane("background").build());
    assertThat(stored("background")).as("the refused batch left its room free").isEqualTo(3);
  }

  @Test
  void delayed_jobs_and_duplicates_take_no_room_under_max_ready() {
    start(lane("background").withMaxReady(2));
    vigil.enqueueAll(jobs("background", 5).stream().map(r -> r.toBuilder().delay(Duration.ofHours(1)).build()).toList());
    JobRequest keyed = JobRequest.builder("work").lane("background").uniqueKey("k").build();
    vigil.enqueue(keyed);
    assertThat(vigil.enqueue(keyed).duplicate()).isTrue();

    vigil.enqueue(JobRequest.builder("work").lane("background").build());

    assertThat(status("background").ready()).isEqualTo(2);
    assertThat(refused(JobRequest.builder("work").lane("background").build()).reason()).isEqualTo(Reason.LANE_FULL);
  }

  @Test
  void a_full_lane_takes_jobs_again_once_ready_ones_have_left() {
    start(lane("background").withMaxReady(2));
    List<Job> two = vigil.enqueueAll(jobs("background", 2));
    assertThat(refused(JobRequest.builder("work").lane("background").build())).isNotNull();

    vigil.cancel(two.get(0).id());
    vigil.runDueNow();

    assertThat(vigil.enqueue(JobRequest.builder("work").lane("background").build()).state()).isEqualTo(JobState.READY);
  }

  @Test
  void an_overloaded_lane_refuses_new_jobs_while_protected_cognition_still_takes_them() {
    start(lane("cognition").withCapacity(10), lane("background").withCapacity(10));
    vigil.enqueueAll(jobs("cognition", 10));
    vigil.enqueueAll(jobs("background", 10));
    vigil.runDueNow();

    JobRejectedException e = refused(JobRequest.builder("work").lane("background").build());
    Job chat = vigil.enqueue(JobRequest.builder("chat").lane("cognition").build());

    assertThat(e.reason()).isEqualTo(Reason.OVERLOADED);
    assertThat(e.lane()).isEqualTo("background");
    assertThat(e.getMessage()).startsWith("lane background is overloaded and refuses new jobs (ready jobs at 100 % of capacity (10 of 10)");
    assertThat(chat.state()).isEqualTo(JobState.READY);
    assertThat(stored("background")).isEqualTo(10);
    assertThat(status("cognition").backpressure().level()).isEqualTo(Level.OVERLOADED);
    assertThat(status("background").backpressure().level()).isEqualTo(Level.OVERLOADED);
    assertThat(status("social").backpressure().level()).isEqualTo(Level.NORMAL);
    assertThat(rejections("background", "overloaded")).isEqualTo(1);
    assertThat(registry.get("vigil.backpressure.level").tag("lane", "background").gauge().value()).isEqualTo(3);
    assertThat(registry.get("vigil.backpressure.transitions").tags("lane", "background", "to", "overloaded").counter().count())
        .isEqualTo(1);
  }

  @Test
  void a_batch_with_one_job_for_an_overloaded_lane_is_refused_whole() {
    start(lane("background").withCapacity(10));
    vigil.enqueueAll(jobs("background", 10));
    vigil.runDueNow();
    var batch = new ArrayList<JobRequest>(jobs("cognition", 3));
    batch.add(JobRequest.builder("work").lane("background").build());

    assertThatThrownBy(() -> vigil.enqueueAll(batch))
        .isInstanceOfSatisfying(JobRejectedException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.OVERLOADED);
          assertThat(e.lane()).isEqualTo("background");
        });
    assertThat(stored("cognition")).isZero();
  }

  @Test
  void at_critical_the_lowest_weight_lane_sheds_and_the_higher_one_still_accepts() {
    start(lane("social").withCapacity(10), lane("background").withCapacity(10));
    vigil.enqueueAll(jobs("social", 8));
    vigil.enqueueAll(jobs("background", 8));
    vigil.runDueNow();

    JobRejectedException e = refused(JobRequest.builder("work").lane("background").build());
    Job social = vigil.enqueue(JobRequest.builder("reply").lane("social").build());

    assertThat(e.reason()).isEqualTo(Reason.SHED);
    assertThat(social.state()).isEqualTo(JobState.READY);
    assertThat(status("social").backpressure().level()).isEqualTo(Level.CRITICAL);
    assertThat(rejections("background", "shed")).isEqualTo(1);
  }

  @Test
  void retry_after_is_the_time_to_drain_to_the_warning_level_at_the_recent_rate() throws Exception {
    start(lane("background").withCapacity(100));
    vigil.enqueueAll(jobs("background", 150));
    vigil.runDueNow();
    List<Job> claimed =
        vigil.claim(new WorkerClaim("py-1", List.of("background"), Set.of(), 20, Duration.ZERO, Duration.ofMinutes(5)));
    assertThat(claimed).hasSize(20);
    clock.advance(Duration.ofSeconds(1));
    vigil.runDueNow();

    JobRejectedException e = refused(JobRequest.builder("work").lane("background").build());

    // 130 ready at 20 started a second: 80 to go above the warning level (half of 100), 4 s
    assertThat(e.reason()).isEqualTo(Reason.OVERLOADED);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void jobs_held_by_a_limit_do_not_age_their_lane_into_overload() throws InterruptedException {
    start(List.of(new LimitRule("provider:x", 1, null, Duration.ofHours(1), null)));
    List<JobRequest> keyed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      keyed.add(JobRequest.builder("digest").lane("sensory").limitKeys(List.of("provider:x")).build());
    }
    vigil.enqueueAll(keyed);
    var started = vigil.claim(new WorkerClaim("py-1", List.of("sensory"), Set.of(), 2, Duration.ZERO, Duration.ofMinutes(10)));
    assertThat(started).hasSize(1);

    clock.advance(Duration.ofMinutes(4)); // 4 × sensory's 60 s target wait, while the quota is spent
    vigil.runDueNow();

    assertThat(status("sensory").backpressure().level()).isEqualTo(Level.NORMAL);
    assertThat(vigil.enqueue(JobRequest.builder("digest").lane("sensory").build()).state()).isEqualTo(JobState.READY);
  }

  @Test
  void the_oldest_ready_wait_overloads_a_lane_but_not_while_it_is_paused() {
    start();
    vigil.enqueue(JobRequest.builder("digest").lane("sensory").build());
    clock.advance(Duration.ofMinutes(4)); // 4 × sensory's 60 s target wait
    vigil.runDueNow();
    assertThat(refused(JobRequest.builder("digest").lane("sensory").build()).reason()).isEqualTo(Reason.OVERLOADED);
    assertThat(status("sensory").backpressure().reason()).contains("oldest ready job waiting 4 min (target 60 s)");

    vigil.pause("sensory");
    clock.advance(Duration.ofSeconds(5));
    vigil.runDueNow();
    clock.advance(Duration.ofSeconds(5));
    vigil.runDueNow();

    assertThat(status("sensory").backpressure().level()).isEqualTo(Level.NORMAL);
    assertThat(vigil.enqueue(JobRequest.builder("digest").lane("sensory").build()).state()).isEqualTo(JobState.READY);
  }

  @Test
  void a_lane_accepts_again_after_its_backlog_has_stayed_down_for_five_seconds_and_subscribers_hear_each_change() {
    var heard = new CopyOnWriteArrayList<BackpressureEvent>();
    start(lane("background").withCapacity(10));
    vigil.subscribeBackpressure(heard::add);
    List<Job> backlog = vigil.enqueueAll(jobs("background", 10));
    vigil.runDueNow();
    backlog.forEach(j -> vigil.cancel(j.id()));

    clock.advance(Duration.ofSeconds(1));
    vigil.runDueNow();
    assertThat(refused(JobRequest.builder("work").lane("background").build())).as("still within the hold").isNotNull();
    clock.advance(Duration.ofSeconds(5));
    vigil.runDueNow();

    assertThat(vigil.enqueue(JobRequest.builder("work").lane("background").build()).state()).isEqualTo(JobState.READY);
    await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
    assertThat(heard).extracting(BackpressureEvent::lane, BackpressureEvent::from, BackpressureEvent::to, BackpressureEvent::at)
        .containsExactly(
            Tuple.tuple("background", Level.NORMAL, Level.OVERLOADED, T0),
            Tuple.tuple("background", Level.OVERLOADED, Level.NORMAL, T0.plusSeconds(6)));
  }
}
