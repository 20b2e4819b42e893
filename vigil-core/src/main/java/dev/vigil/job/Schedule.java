package dev.vigil.job;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A recurring job: a cron expression in a time zone and the job to enqueue at each tick. Each
 * due tick enqueues exactly one job, with the unique key {@code schedule:{name}:{tick}}; after
 * downtime a schedule fires once for the latest missed tick, not once per missed tick.
 *
 * @param jobJson the job to enqueue, as the JSON object of an HTTP enqueue request
 * @param nextFireAt the next tick, computed from the cron expression
 * @param lastFiredAt the tick that fired last, or {@code null}
 */
public record Schedule(
    String name,
    String cron,
    CronSyntax syntax,
    ZoneId timezone,
    String jobJson,
    Instant nextFireAt,
    Instant lastFiredAt,
    Instant createdAt,
    Instant updatedAt) {

  /** The cron dialects Vigil understands. */
  public enum CronSyntax {
    /** Five fields: minute, hour, day of month, month, day of week. */
    UNIX,
    /** Six or seven fields, seconds first, as Quartz reads them. */
    QUARTZ
  }

  public Schedule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(syntax, "syntax");
    Objects.requireNonNull(timezone, "timezone");
    Objects.requireNonNull(jobJson, "jobJson");
  }

  /** The unique key of the job fired for {@code tick}. */
  public static String uniqueKeyFor(String name, Instant tick) {
    return "schedule:" + name + ":" + tick;
  }
}
