package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobQuery;
import dev.vigil.job.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Recurring schedules: stored by name, found when due, and fired exactly once per tick. */
public abstract class ScheduleContract extends ContractSupport {

  private static final String DIGEST_JOB =
      "{\"type\":\"daily_digest\",\"lane\":\"background\",\"payload\":{\"since\":\"yesterday\"}}";

  protected ScheduleContract(JobStoreContract kit) {
    super(kit);
  }

  private Schedule schedule(String name, String cron, Instant nextFireAt) {
    return new Schedule(
        name,
        cron,
        Schedule.CronSyntax.UNIX,
        ZoneId.of("UTC"),
        DIGEST_JOB,
        nextFireAt,
        null,
        now(),
        now());
  }

  private static void assertSameSchedule(Schedule actual, Schedule expected) {
    assertThat(actual.name()).isEqualTo(expected.name());
    assertThat(actual.cron()).isEqualTo(expected.cron());
    assertThat(actual.syntax()).isEqualTo(expected.syntax());
    assertThat(actual.timezone()).isEqualTo(expected.timezone());
    assertSameJson(actual.jobJson(), expected.jobJson());
    assertThat(actual.nextFireAt()).isEqualTo(expected.nextFireAt());
    assertThat(actual.lastFiredAt()).isEqualTo(expected.lastFiredAt());
    assertThat(actual.updatedAt()).isEqualTo(expected.updatedAt());
  }

  /** The job a schedule's tick enqueues, keyed as every tick's job is. */
  private NewJob tickJob(String name, Instant tick) {
    return newJob()
        .type("daily_digest")
        .payloadJson("{\"since\":\"yesterday\"}")
        .uniqueKey(Schedule.uniqueKeyFor(name, tick))
        .build();
  }

  @Test
  void upsert_creates_a_schedule_then_replaces_it_by_name() {
    Schedule original = schedule("daily_digest", "0 8 * * *", now().plus(Duration.ofHours(8)));

    ScheduleUpsert created = store().upsertSchedule(original);

    assertThat(created.created()).isTrue();
    assertSameSchedule(created.schedule(), original);
    assertThat(created.schedule().createdAt()).isEqualTo(original.createdAt());
    Schedule stored = store().getSchedule("daily_digest").orElseThrow();
    assertSameSchedule(stored, original);
    assertThat(stored.createdAt()).isEqualTo(original.createdAt());

    advance(Duration.ofMinutes(3));
    Schedule replacement =
        new Schedule(
            "daily_digest",
            "0 0 9 ? * MON-FRI",
            Schedule.CronSyntax.QUARTZ,
            ZoneId.of("Europe/Berlin"),
            "{\"type\":\"weekday_digest\",\"payload\":{\"n\":2}}",
            now().plus(Duration.ofHours(20)),
            null,
            now(),
            now());

    ScheduleUpsert replaced = store().upsertSchedule(replacement);

    assertThat(replaced.created()).isFalse();
    assertSameSchedule(replaced.schedule(), replacement);
    assertSameSchedule(store().getSchedule("daily_digest").orElseThrow(), replacement);
    assertThat(store().listSchedules()).hasSize(1);
  }

  @Test
  void list_schedules_returns_every_schedule_by_name() {
    store().upsertSchedule(schedule("zeta", "0 * * * *", now().plusSeconds(60)));
    store().upsertSchedule(schedule("alpha", "5 * * * *", now().plusSeconds(300)));
    store().upsertSchedule(schedule("mid", "10 * * * *", now().plusSeconds(600)));

    assertThat(store().listSchedules())
        .extracting(Schedule::name)
        .containsExactly("alpha", "mid", "zeta");
  }

  @Test
  void delete_removes_a_schedule_and_says_whether_it_did() {
    store().upsertSchedule(schedule("a", "0 * * * *", now().plusSeconds(60)));
    store().upsertSchedule(schedule("b", "0 * * * *", now().plusSeconds(60)));

    assertThat(store().deleteSchedule("a")).isTrue();
    assertThat(store().deleteSchedule("a")).isFalse();
    assertThat(store().deleteSchedule("never")).isFalse();
    assertThat(store().getSchedule("a")).isEmpty();
    assertThat(store().listSchedules()).extracting(Schedule::name).containsExactly("b");
  }

  @Test
  void get_of_an_unknown_schedule_is_empty() {
    store().upsertSchedule(schedule("a", "0 * * * *", now().plusSeconds(60)));

    assertThat(store().getSchedule("b")).isEmpty();
  }

  @Test
  void due_schedules_are_those_whose_next_fire_at_has_come() {
    store().upsertSchedule(schedule("past", "* * * * *", now().minusSeconds(1)));
    store().upsertSchedule(schedule("now", "* * * * *", now()));
    store().upsertSchedule(schedule("soon", "* * * * *", now().plusMillis(1)));

    assertThat(store().dueSchedules(now()))
        .extracting(Schedule::name)
        .containsExactlyInAnyOrder("past", "now");
    assertThat(store().dueSchedules(now().minusSeconds(10))).isEmpty();
  }

  @Test
  void fire_schedule_enqueues_the_ticks_job_once_and_moves_the_schedule_on() {
    Instant tick = now();
    Instant nextTick = tick.plus(Duration.ofDays(1));
    store().upsertSchedule(schedule("daily_digest", "0 0 * * *", tick));

    Optional<Job> fired =
        store().fireSchedule("daily_digest", tick, tick, nextTick, tickJob("daily_digest", tick));

    assertThat(fired).isPresent();
    Job job = fired.get();
    assertThat(job.duplicate()).isFalse();
    assertThat(job.uniqueKey()).isEqualTo("schedule:daily_digest:" + tick);
    assertThat(job.type()).isEqualTo("daily_digest");
    assertThat(get(job.id()).uniqueKey()).isEqualTo("schedule:daily_digest:" + tick);
    assertSameJson(get(job.id()).payloadJson(), "{\"since\":\"yesterday\"}");
    Schedule moved = store().getSchedule("daily_digest").orElseThrow();
    assertThat(moved.nextFireAt()).isEqualTo(nextTick);
    assertThat(moved.lastFiredAt()).isEqualTo(tick);
    assertThat(store().dueSchedules(now())).isEmpty();

    Optional<Job> again =
        store().fireSchedule("daily_digest", tick, tick, nextTick, tickJob("daily_digest", tick));

    assertThat(again).as("the same tick fires once").isEmpty();
    assertThat(store().find(JobQuery.all()).jobs()).extracting(Job::id).containsExactly(job.id());
    assertThat(store().getSchedule("daily_digest").orElseThrow().nextFireAt()).isEqualTo(nextTick);
  }

  @Test
  void fire_schedule_with_an_expected_tick_that_is_not_the_schedules_does_nothing() {
    Instant tick = now();
    Schedule original = schedule("hourly", "0 * * * *", tick);
    store().upsertSchedule(original);
    Instant wrong = tick.minus(Duration.ofHours(1));

    Optional<Job> fired =
        store().fireSchedule("hourly", wrong, wrong, tick, tickJob("hourly", wrong));

    assertThat(fired).isEmpty();
    assertThat(store().find(JobQuery.all()).jobs()).isEmpty();
    assertSameSchedule(store().getSchedule("hourly").orElseThrow(), original);
  }

  @Test
  void fire_schedule_of_a_deleted_schedule_does_nothing() {
    Instant tick = now();
    store().upsertSchedule(schedule("gone", "0 * * * *", tick));
    store().deleteSchedule("gone");

    Optional<Job> fired =
        store().fireSchedule("gone", tick, tick, tick.plusSeconds(3600), tickJob("gone", tick));

    assertThat(fired).isEmpty();
    assertThat(store().find(JobQuery.all()).jobs()).isEmpty();
    assertThat(store().getSchedule("gone")).isEmpty();
  }

  @Test
  void a_tick_whose_job_is_still_active_answers_that_job_flagged_duplicate() {
    Instant tick = now();
    Instant nextTick = tick.plusSeconds(3600);
    store().upsertSchedule(schedule("hourly", "0 * * * *", tick));
    Job first =
        store().fireSchedule("hourly", tick, tick, nextTick, tickJob("hourly", tick)).orElseThrow();
    store().upsertSchedule(schedule("hourly", "0 * * * *", tick));

    Optional<Job> again =
        store().fireSchedule("hourly", tick, tick, nextTick, tickJob("hourly", tick));

    assertThat(again).isPresent();
    assertThat(again.get().duplicate()).isTrue();
    assertThat(again.get().id()).isEqualTo(first.id());
    assertThat(store().find(JobQuery.all()).jobs()).hasSize(1);
    assertThat(store().getSchedule("hourly").orElseThrow().nextFireAt()).isEqualTo(nextTick);
  }

  /**
   * 8 threads walk the same 100 ticks of one schedule, each trying to fire every tick: each tick
   * must fire on exactly one thread, and enqueue exactly one job.
   */
  @Test
  void racing_fire_attempts_enqueue_exactly_one_job_per_tick() throws Exception {
    int ticks = 100;
    Instant first = now();
    store().upsertSchedule(schedule("every_minute", "* * * * *", first));

    List<List<Job>> perThread =
        inParallel(
            8,
            thread -> {
              List<Job> mine = new ArrayList<>();
              for (int k = 0; k < ticks; k++) {
                Instant tick = first.plus(Duration.ofMinutes(k));
                store()
                    .fireSchedule(
                        "every_minute",
                        tick,
                        tick,
                        tick.plus(Duration.ofMinutes(1)),
                        tickJob("every_minute", tick))
                    .ifPresent(mine::add);
              }
              return mine;
            });

    List<Job> fired = perThread.stream().flatMap(List::stream).toList();
    assertThat(fired).hasSize(ticks).noneMatch(Job::duplicate);
    assertThat(fired).extracting(Job::uniqueKey).doesNotHaveDuplicates();
    assertThat(store().find(JobQuery.all().withLimit(JobQuery.MAX_LIMIT)).jobs()).hasSize(ticks);
    Schedule after = store().getSchedule("every_minute").orElseThrow();
    assertThat(after.nextFireAt()).isEqualTo(first.plus(Duration.ofMinutes(ticks)));
    assertThat(after.lastFiredAt()).isEqualTo(first.plus(Duration.ofMinutes(ticks - 1)));
  }
}
