package dev.vigil;

import dev.vigil.internal.JobRequestJson;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.Schedule.CronSyntax;
import dev.vigil.job.Schedule;
import dev.vigil.store.JobStore;
import dev.vigil.store.NewJob;
import dev.vigil.store.ScheduleUpsert;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps recurring jobs: validates and stores schedules, and fires the due ones. A due schedule
 * fires once for its latest tick at or before now, then moves on to the first tick after now,
 * so a node that was down for a day fires a daily schedule once, not once per missed tick. The
 * store's compare-and-set on the next tick and the job's unique key {@code schedule:{name}:{tick}}
 * make each tick fire exactly once, however many nodes try.
 */
final class ScheduleRunner {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

  private final EngineConfig config;
  private final JobStore store;
  private final JobFactory factory;
  private final JobEvents events;

  ScheduleRunner(EngineConfig config, JobStore store, JobFactory factory, JobEvents events) {
    this.config = config;
    this.store = store;
    this.factory = factory;
    this.events = events;
  }

  /**
   * Creates or replaces a schedule.
   *
   * @throws InvalidRequestException naming the bad field (name, cron, timezone, job fields)
   */
  ScheduleUpsert upsert(String name, String cron, CronSyntax syntax, ZoneId zone, JobRequest job) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException("name", "must be 1-100 letters, digits, '_', '.', ':' or '-'");
    }
    CronSyntax effective = syntax != null ? syntax : CronTicks.guessSyntax(cron);
    ZoneId tz = zone != null ? zone : ZoneId.of("UTC");
    CronTicks ticks = CronTicks.parse(cron, effective, tz);
    try {
      factory.create(job);
    } catch (InvalidRequestException e) {
      throw e.prefixed("job.");
    }
    Instant now = config.clock().instant();
    Instant next =
        ticks.nextAfter(now).orElseThrow(() -> new InvalidRequestException("cron", "never fires"));
    String jobJson = JobRequestJson.write(job, config.mapper()).toString();
    return store.upsertSchedule(
        new Schedule(name, cron.trim(), effective, tz, jobJson, next, null, now, now));
  }

  /** Fires every due schedule once; returns how many ticks this call fired. */
  int fireDue(Instant now) {
    int fired = 0;
    for (Schedule s : store.dueSchedules(now)) {
      try {
        if (fire(s, now)) {
          fired++;
        }
      } catch (RuntimeException e) {
        log.warn("schedule {} could not fire: {}", s.name(), e.getMessage());
      }
    }
    return fired;
  }

  private boolean fire(Schedule s, Instant now) throws InvalidRequestException {
    CronTicks ticks = CronTicks.parse(s.cron(), s.syntax(), s.timezone());
    Instant tick = ticks.latestAtOrBefore(now).filter(t -> !t.isBefore(s.nextFireAt())).orElse(s.nextFireAt());
    Instant next = ticks.nextAfter(now).orElse(NEVER);
    NewJob job = factory.create(template(s).toBuilder()
        .uniqueKey(Schedule.uniqueKeyFor(s.name(), tick))
        .runAt(null)
        .delay(null)
        .build());
    List<Job> fired = events.create(List.of(job.id()),
        () -> store.fireSchedule(s.name(), s.nextFireAt(), tick, next, job).map(List::of).orElse(List.of()));
    return !fired.isEmpty();
  }

  private JobRequest template(Schedule s) {
    try {
      return JobRequestJson.read(config.mapper().readTree(s.jobJson()), config.mapper());
    } catch (IOException e) {
      throw new IllegalStateException("stored job of schedule " + s.name() + " is not JSON", e);
    }
  }
}
