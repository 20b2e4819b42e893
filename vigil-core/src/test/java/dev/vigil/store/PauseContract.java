package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lane pauses: durable flags that stop claims, never enqueues. */
public abstract class PauseContract extends ContractSupport {

  protected PauseContract(JobStoreContract kit) {
    super(kit);
  }

  @Test
  void a_new_store_holds_no_lane_pauses() {
    assertThat(store().lanePauses()).isEmpty();
  }

  @Test
  void a_paused_lane_yields_nothing_whatever_the_quota_while_other_lanes_are_served() {
    enqueue(newJob().lane("background"));
    Job cognition = enqueue(newJob().lane("cognition"));

    store().setLanePaused("background", true);

    assertThat(claim(WORKER, quota("background", 10), quota("cognition", 10)))
        .extracting(Job::id)
        .containsExactly(cognition.id());
    assertThat(claim("background", 10)).isEmpty();
    assertThat(store().lanePauses()).containsExactly(Map.entry("background", true));
  }

  @Test
  void resuming_a_lane_lets_its_jobs_be_claimed_again() {
    Job job = enqueue(newJob().lane("social"));
    store().setLanePaused("social", true);
    assertThat(claim("social", 1)).isEmpty();

    store().setLanePaused("social", false);

    assertThat(claim("social", 1)).extracting(Job::id).containsExactly(job.id());
    assertThat(store().lanePauses()).containsExactly(Map.entry("social", false));
  }

  @Test
  void a_paused_lane_still_accepts_jobs() {
    store().setLanePaused("sensory", true);

    Job job = enqueue(newJob().lane("sensory"));

    assertThat(job.duplicate()).isFalse();
    assertThat(get(job.id()).state()).isEqualTo(JobState.READY);
    assertThat(store().laneDepths())
        .singleElement()
        .satisfies(d -> assertThat(d.ready()).isEqualTo(1));
  }

  @Test
  void pauses_are_kept_per_lane_and_the_latest_setting_wins() {
    store().setLanePaused("cognition", true);
    store().setLanePaused("social", true);
    store().setLanePaused("social", false);
    store().setLanePaused("background", false);
    store().setLanePaused("background", true);

    assertThat(store().lanePauses())
        .containsOnly(
            Map.entry("cognition", true),
            Map.entry("social", false),
            Map.entry("background", true));
  }
}
