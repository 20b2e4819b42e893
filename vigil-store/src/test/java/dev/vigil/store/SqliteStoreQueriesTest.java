package dev.vigil.store;

import static dev.vigil.store.TestJobs.T0;
import static dev.vigil.store.TestJobs.claim;
import static dev.vigil.store.TestJobs.job;
import static dev.vigil.store.TestJobs.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.InvalidRequestException;
import dev.vigil.job.Job;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.Schedule;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listings, depths, counts, lane pauses and schedules on the SQLite store. */
class SqliteStoreQueriesTest {
  @TempDir Path dir;
  SqliteJobStore store;

  @BeforeEach
  void open() {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void find_pages_newest_first_with_an_opaque_cursor() {
    List<NewJob> jobs = IntStream.range(0, 7).mapToObj(i -> ready("background")).toList();
    store.enqueue(jobs);

    List<String> seen = new ArrayList<>();
    JobQuery query = JobQuery.all().withLimit(3);
    JobPage page;
    int pages = 0;
    do {
      page = store.find(query);
      page.jobs().forEach(j -> seen.add(j.id()));
      query = query.withCursor(page.nextCursor());
      pages++;
    } while (page.nextCursor() != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(jobs.stream().map(NewJob::id).toList().reversed());
  }

  @Test
  void find_filters_by_state_lane_type_correlation_and_creation_time() {
    NewJob a = job().lane("cognition").type("reply").correlationId("c-1").build();
    NewJob b = job().lane("social").type("post").createdAt(T0.plusSeconds(10)).build();
    NewJob c = job().lane("social").type("reply").scheduledAt(T0.plusSeconds(60)).build();
    store.enqueue(List.of(a, b, c));

    assertThat(ids(JobQuery.all().withStates(Set.of(JobState.SCHEDULED)))).containsExactly(c.id());
    assertThat(ids(JobQuery.all().withLane("social"))).containsExactly(c.id(), b.id());
    assertThat(ids(JobQuery.all().withType("reply"))).containsExactly(c.id(), a.id());
    assertThat(ids(JobQuery.all().withCorrelationId("c-1"))).containsExactly(a.id());
    assertThat(ids(JobQuery.all().withSince(T0.plusSeconds(1)))).containsExactly(b.id());
    assertThat(ids(JobQuery.all().withUntil(T0.plusSeconds(10)))).containsExactly(c.id(), a.id());
  }

  @Test
  void a_cursor_not_made_by_the_store_is_refused() {
    assertThatThrownBy(() -> store.find(JobQuery.all().withCursor("not a cursor!")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void lane_depths_count_active_jobs_per_lane_with_the_oldest_ready_run_at() {
    store.enqueue(List.of(
        job().lane("cognition").runAt(T0.minusSeconds(3)).build(),
        job().lane("cognition").runAt(T0).build(),
        job().lane("cognition").scheduledAt(T0.plusSeconds(5)).build(),
        ready("social")));
    store.claim(claim("social", 1));

    assertThat(store.laneDepths()).containsExactly(
        new LaneDepth("cognition", 1, 2, 0, T0.minusSeconds(3)),
        new LaneDepth("social", 0, 0, 1, null));
    assertThat(store.countByState())
        .containsEntry(JobState.READY, 2L)
        .containsEntry(JobState.SCHEDULED, 1L)
        .containsEntry(JobState.RUNNING, 1L);
  }

  @Test
  void an_empty_store_has_no_depths_no_next_run_and_no_pauses() {
    assertThat(store.laneDepths()).isEmpty();
    assertThat(store.countByState()).isEmpty();
    assertThat(store.nextScheduledRunAt()).isEmpty();
    assertThat(store.lanePauses()).isEmpty();
    assertThat(store.get("nothing")).isEmpty();
  }

  @Test
  void a_schedule_is_created_then_replaced_keeping_its_creation_time() {
    Schedule s = schedule("digest", T0.plusSeconds(60));

    ScheduleUpsert created = store.upsertSchedule(s);
    ScheduleUpsert replaced = store.upsertSchedule(
        new Schedule("digest", "0 9 * * *", Schedule.CronSyntax.UNIX, ZoneId.of("Europe/Paris"),
            "{\"type\":\"digest\"}", T0.plusSeconds(120), null, T0.plusSeconds(5), T0.plusSeconds(5)));

    assertThat(created.created()).isTrue();
    assertThat(created.schedule()).isEqualTo(s);
    assertThat(replaced.created()).isFalse();
    assertThat(replaced.schedule().cron()).isEqualTo("0 9 * * *");
    assertThat(replaced.schedule().createdAt()).isEqualTo(T0);
    assertThat(store.getSchedule("digest")).contains(replaced.schedule());
    assertThat(store.listSchedules()).containsExactly(replaced.schedule());
    assertThat(store.deleteSchedule("digest")).isTrue();
    assertThat(store.deleteSchedule("digest")).isFalse();
  }

  @Test
  void a_schedule_tick_fires_once_and_enqueues_its_job() {
    store.upsertSchedule(schedule("digest", T0));
    assertThat(store.dueSchedules(T0)).extracting(Schedule::name).containsExactly("digest");
    NewJob tickJob = job().uniqueKey(Schedule.uniqueKeyFor("digest", T0)).build();

    var fired = store.fireSchedule("digest", T0, T0, T0.plusSeconds(60), tickJob);
    var again = store.fireSchedule("digest", T0, T0, T0.plusSeconds(60), job().build());

    assertThat(fired).map(Job::id).contains(tickJob.id());
    assertThat(again).isEmpty();
    Schedule after = store.getSchedule("digest").orElseThrow();
    assertThat(after.nextFireAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(after.lastFiredAt()).isEqualTo(T0);
    assertThat(store.dueSchedules(T0.plusSeconds(59))).isEmpty();
    assertThat(store.countByState()).containsEntry(JobState.READY, 1L);
  }

  private List<String> ids(JobQuery q) {
    return store.find(q).jobs().stream().map(Job::id).toList();
  }

  private static Schedule schedule(String name, Instant next) {
    return new Schedule(name, "0 8 * * *", Schedule.CronSyntax.UNIX, ZoneId.of("UTC"),
        "{\"type\":\"digest\"}", next, null, T0, T0);
  }
}
