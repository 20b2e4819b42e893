package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.job.Schedule;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Persistence: everything a store acknowledged is still there after it is closed and opened again
 * on the same database, as after a process restart.
 */
public abstract class PersistenceContract extends ContractSupport {

  protected PersistenceContract(JobStoreContract kit) {
    super(kit);
  }

  private List<Job> allJobs() {
    return store().find(JobQuery.all().withLimit(JobQuery.MAX_LIMIT)).jobs();
  }

  @Test
  void jobs_with_their_attempts_survive_a_restart() {
    List<String> ids = new ArrayList<>();
    ids.add(
        enqueue(
                newJob()
                    .type("full")
                    .lane("cognition")
                    .payloadJson("{\"a\":[1,2],\"b\":\"\u00e9\"}")
                    .uniqueKey("u1")
                    .correlationId("c1")
                    .tags("x", "y")
                    .timeout(Duration.ofMillis(1_500))
                    .maxAttempts(9))
            .id());
    ids.add(jobIn(JobState.SCHEDULED, newJob().type("later")).id());
    Job running = jobIn(JobState.RUNNING, newJob().type("running"));
    store().heartbeat(running.id(), running.leaseToken(), now().plusSeconds(90), 0.75, "nearly");
    store().cancel(running.id(), now());
    ids.add(running.id());
    Job retrying = jobIn(JobState.RUNNING, newJob().type("retrying"));
    advance(Duration.ofSeconds(2));
    finish(
        retrying,
        AttemptOutcome.FAILED,
        JobState.SCHEDULED,
        now().plusSeconds(30),
        new JobError("E", "failed once", "stack"),
        null);
    ids.add(retrying.id());
    Job succeeded = jobIn(JobState.RUNNING, newJob().type("succeeded"));
    advance(Duration.ofSeconds(1));
    finish(succeeded, AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, "{\"ok\":true}");
    ids.add(succeeded.id());
    ids.add(jobIn(JobState.DEAD, newJob().type("dead")).id());
    ids.add(jobIn(JobState.CANCELLED, newJob().type("cancelled")).id());
    List<Job> before = ids.stream().map(this::get).toList();
    List<Job> listedBefore = allJobs();
    assertThat(before).filteredOn(j -> !j.attempts().isEmpty()).hasSize(3);

    kit().reopenStore();

    assertThat(ids.stream().map(this::get).toList()).containsExactlyElementsOf(before);
    assertThat(allJobs()).containsExactlyElementsOf(listedBefore);
    assertThat(store().countByState())
        .containsEntry(JobState.SCHEDULED, 2L)
        .containsEntry(JobState.READY, 1L)
        .containsEntry(JobState.RUNNING, 1L)
        .containsEntry(JobState.SUCCEEDED, 1L)
        .containsEntry(JobState.DEAD, 1L)
        .containsEntry(JobState.CANCELLED, 1L);
  }

  @Test
  void schedules_and_lane_pauses_survive_a_restart() {
    String job = "{\"type\":\"digest\"}";
    store()
        .upsertSchedule(
            new Schedule(
                "digest",
                "0 8 * * *",
                Schedule.CronSyntax.UNIX,
                ZoneId.of("Europe/Paris"),
                job,
                now(),
                null,
                now(),
                now()));
    store()
        .upsertSchedule(
            new Schedule(
                "cleanup",
                "0 0 3 * * ?",
                Schedule.CronSyntax.QUARTZ,
                ZoneId.of("UTC"),
                job,
                now().plusSeconds(600),
                null,
                now(),
                now()));
    store()
        .fireSchedule(
            "digest",
            now(),
            now(),
            now().plus(Duration.ofDays(1)),
            newJob().uniqueKey(Schedule.uniqueKeyFor("digest", now())).build());
    store().setLanePaused("background", true);
    store().setLanePaused("social", false);
    List<Schedule> schedulesBefore = store().listSchedules();
    assertThat(schedulesBefore.get(1).lastFiredAt()).isEqualTo(now());

    kit().reopenStore();

    assertThat(store().listSchedules()).containsExactlyElementsOf(schedulesBefore);
    assertThat(store().lanePauses())
        .containsOnly(Map.entry("background", true), Map.entry("social", false));
    assertThat(claim("background", 10)).as("the lane is still paused").isEmpty();
    assertThat(
            store()
                .fireSchedule(
                    "digest",
                    now(),
                    now(),
                    now().plus(Duration.ofDays(1)),
                    newJob().uniqueKey(Schedule.uniqueKeyFor("digest", now())).build()))
        .as("a fired tick stays fired")
        .isEmpty();
  }

  @Test
  void leases_still_fence_and_unique_keys_still_hold_after_a_restart() {
    Job running = jobIn(JobState.RUNNING, newJob().uniqueKey("k"));

    kit().reopenStore();

    assertThatThrownBy(
            () -> store().heartbeat(running.id(), "not-the-token", now().plus(LEASE), null, null))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store().heartbeat(running.id(), running.leaseToken(), now().plus(LEASE), null, null))
        .isEqualTo(new HeartbeatResult(now().plus(LEASE), false));
    Job duplicate = enqueue(newJob().uniqueKey("k"));
    assertThat(duplicate.duplicate()).isTrue();
    assertThat(duplicate.id()).isEqualTo(running.id());
    assertThat(succeed(running).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void every_acknowledged_enqueue_survives_an_immediate_restart() throws Exception {
    List<List<String>> perThread =
        inParallel(
            4,
            thread -> {
              List<String> acknowledged = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                acknowledged.add(store().enqueue(List.of(newJob().build())).get(0).id());
              }
              return acknowledged;
            });

    kit().reopenStore();

    List<String> acknowledged = perThread.stream().flatMap(List::stream).toList();
    assertThat(allJobs()).extracting(Job::id).containsExactlyInAnyOrderElementsOf(acknowledged);
  }
}
