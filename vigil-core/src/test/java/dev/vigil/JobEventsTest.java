package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Job;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobEventsTest {
  private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

  private final EventBus<JobEvent> bus = new EventBus<>(100);
  private final ManualClock clock = new ManualClock(NOW);
  private final JobEvents events = new JobEvents(bus, clock);
  private final CopyOnWriteArrayList<JobEvent> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    bus.close();
  }

  @Test
  void a_state_change_is_published_with_the_job_identity_and_the_clock_time_but_no_payload() {
    bus.subscribe(seen::add);
    Job job =
        job(JobState.RUNNING).toBuilder()
            .payloadJson("{\"secret\":\"user text\"}")
            .correlationId("c-9")
            .attempt(2)
            .build();

    events.transition(job, JobState.READY);
    clock.advance(Duration.ofSeconds(1));
    events.transition(job(JobState.READY), null);

    eventually().until(() -> seen.size() == 2);
    assertThat(seen.get(0))
        .isEqualTo(
            new JobEvent(
                "j1", "summarise", "social", JobState.READY, JobState.RUNNING, NOW, "c-9", 2));
    assertThat(seen.get(0).toString()).doesNotContain("user text");
    assertThat(seen.get(1).from()).isNull();
    assertThat(seen.get(1).to()).isEqualTo(JobState.READY);
    assertThat(seen.get(1).at()).isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void an_action_that_leaves_the_state_unchanged_publishes_nothing() {
    bus.subscribe(seen::add);

    events.transition(job(JobState.RUNNING), JobState.RUNNING);
    events.transition(job(JobState.CANCELLED), JobState.READY);

    // Events reach a subscriber in publish order, so once the second arrives the first would have.
    eventually().until(() -> seen.size() == 1);
    assertThat(seen).extracting(JobEvent::to).containsExactly(JobState.CANCELLED);
  }

  @Test
  void a_change_that_ends_an_attempt_carries_its_outcome_and_stored_error() {
    bus.subscribe(seen::add);
    var error = new dev.vigil.job.JobError("java.io.IOException", "reset by [ip]", "stack");
    var failed = new dev.vigil.store.Finish(
        "j1", "token", dev.vigil.job.AttemptOutcome.FAILED, JobState.DEAD, null, error, null, NOW);
    var givenBack = new dev.vigil.store.Finish(
        "j1", "token", dev.vigil.job.AttemptOutcome.LEASE_EXPIRED, JobState.READY, null,
        dev.vigil.job.JobError.of("LeaseReleased", "node shut down"), null, NOW);

    events.transition(job(JobState.DEAD), JobState.RUNNING, failed);
    events.transition(job(JobState.READY), JobState.RUNNING, givenBack);
    events.transition(job(JobState.SUCCEEDED), JobState.RUNNING);

    eventually().until(() -> seen.size() == 3);
    assertThat(seen.get(0).outcome()).isEqualTo(dev.vigil.job.AttemptOutcome.FAILED);
    assertThat(seen.get(0).error()).isEqualTo(error);
    assertThat(seen).extracting(JobEvent::endsFailedAttempt).containsExactly(true, false, false);
  }

  /**
   * Polls every millisecond for up to ten seconds: quick when things work, patient on a busy
   * machine.
   */
  private static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1));
  }

  private static Job job(JobState state) {
    return Job.builder().id("j1").type("summarise").lane("social").state(state).build();
  }
}
