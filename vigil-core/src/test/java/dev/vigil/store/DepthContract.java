package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lane depths and state counts: what operators and the dispatcher see of the backlog. */
public abstract class DepthContract extends ContractSupport {

  protected DepthContract(JobStoreContract kit) {
    super(kit);
  }

  private Map<String, LaneDepth> depthsByLane() {
    return store().laneDepths().stream()
        .collect(Collectors.toMap(LaneDepth::lane, Function.identity()));
  }

  @Test
  void lane_depths_count_active_jobs_by_state_with_the_oldest_ready_run_at() {
    Instant oldest = now().minusSeconds(90);
    enqueue(newJob().lane("cognition").scheduledAt(now().plusSeconds(60)));
    enqueue(newJob().lane("cognition").scheduledAt(now().plusSeconds(120)));
    enqueue(newJob().lane("cognition").readyAt(now().minusSeconds(30)));
    enqueue(newJob().lane("cognition").readyAt(oldest));
    enqueue(newJob().lane("cognition").readyAt(now()));
    jobIn(
        JobState.RUNNING,
        newJob().lane("cognition").type("runner").readyAt(oldest.minusSeconds(60)));
    enqueue(newJob().lane("background").readyAt(now().minusSeconds(5)));
    jobIn(JobState.SUCCEEDED, newJob().lane("social").type("s1"));
    jobIn(JobState.DEAD, newJob().lane("social").type("s2"));
    jobIn(JobState.CANCELLED, newJob().lane("social").type("s3"));

    Map<String, LaneDepth> depths = depthsByLane();

    assertThat(depths)
        .as("lanes holding only ended jobs are absent")
        .containsOnlyKeys("cognition", "background");
    assertThat(depths.get("cognition")).isEqualTo(new LaneDepth("cognition", 2, 3, 1, oldest));
    assertThat(depths.get("background"))
        .isEqualTo(new LaneDepth("background", 0, 1, 0, now().minusSeconds(5)));
  }

  @Test
  void held_jobs_count_as_ready_and_as_held_and_do_not_make_the_oldest_claimable_wait() {
    Instant older = now().minusSeconds(60);
    enqueue(newJob().lane("social").readyAt(older).concurrencyKey("user:1"));
    ClaimGate holdKeyed = (job, running, at) -> new Hold(Hold.LIMIT, "user:1", at.plusSeconds(60));
    store().claim(new ClaimRequest(WORKER, List.of(quota("social", 1)), Set.of(), LEASE, now(), holdKeyed));
    enqueue(newJob().lane("social").readyAt(now().minusSeconds(10)));

    LaneDepth social = depthsByLane().get("social");

    assertThat(social).isEqualTo(new LaneDepth("social", 0, 2, 0, older, 1, now().minusSeconds(10)));
    assertThat(social.claimable()).isEqualTo(1);
  }

  @Test
  void a_lane_with_nothing_ready_has_no_oldest_ready_run_at() {
    enqueue(newJob().lane("social").scheduledAt(now().plusSeconds(60)));
    jobIn(JobState.RUNNING, newJob().lane("social"));

    assertThat(depthsByLane().get("social")).isEqualTo(new LaneDepth("social", 1, 0, 1, null));
  }

  @Test
  void lane_depths_follow_the_jobs_through_their_lifecycle() {
    Job job = enqueue(newJob().lane("sensory").scheduledAt(now().plusSeconds(10)));
    assertThat(depthsByLane().get("sensory").scheduled()).isEqualTo(1);

    advance(Duration.ofSeconds(10));
    store().promoteDue(now(), 10);
    assertThat(depthsByLane().get("sensory")).isEqualTo(new LaneDepth("sensory", 0, 1, 0, now()));

    Job running = claimJob(get(job.id()));
    assertThat(depthsByLane().get("sensory")).isEqualTo(new LaneDepth("sensory", 0, 0, 1, null));

    succeed(running);
    assertThat(store().laneDepths()).isEmpty();
  }

  @Test
  void count_by_state_counts_the_jobs_in_each_state() {
    assertThat(store().countByState().values()).allMatch(n -> n == 0);
    jobIn(JobState.SCHEDULED);
    jobIn(JobState.SCHEDULED);
    jobIn(JobState.READY, newJob().type("ready"));
    jobIn(JobState.READY, newJob().type("ready"));
    jobIn(JobState.READY, newJob().type("ready"));
    jobIn(JobState.RUNNING, newJob().type("running"));
    jobIn(JobState.SUCCEEDED, newJob().type("succeeded"));
    jobIn(JobState.SUCCEEDED, newJob().type("succeeded"));
    jobIn(JobState.DEAD, newJob().type("dead"));
    jobIn(JobState.CANCELLED, newJob().type("cancelled"));

    Map<JobState, Long> counts = store().countByState();

    assertThat(counts.getOrDefault(JobState.SCHEDULED, 0L)).isEqualTo(2);
    assertThat(counts.getOrDefault(JobState.READY, 0L)).isEqualTo(3);
    assertThat(counts.getOrDefault(JobState.RUNNING, 0L)).isEqualTo(1);
    assertThat(counts.getOrDefault(JobState.SUCCEEDED, 0L)).isEqualTo(2);
    assertThat(counts.getOrDefault(JobState.DEAD, 0L)).isEqualTo(1);
    assertThat(counts.getOrDefault(JobState.CANCELLED, 0L)).isEqualTo(1);
  }
}
