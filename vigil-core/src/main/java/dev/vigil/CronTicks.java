package dev.vigil;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.vigil.InvalidRequestException;
import dev.vigil.job.Schedule.CronSyntax;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The ticks of one cron expression in one time zone (cron-utils does the calendar arithmetic,
 * daylight-saving gaps included).
 */
final class CronTicks {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private final ExecutionTime times;
  private final ZoneId zone;

  private CronTicks(ExecutionTime times, ZoneId zone) {
    this.times = times;
    this.zone = zone;
  }

  /**
   * Parses an expression.
   *
   * @throws InvalidRequestException (field {@code cron}) if it does not parse or never fires
   */
  static CronTicks parse(String expression, CronSyntax syntax, ZoneId zone) {
    if (expression == null || expression.isBlank()) {
      throw new InvalidRequestException("cron", "is required");
    }
    try {
      var cron = (syntax == CronSyntax.QUARTZ ? QUARTZ : UNIX).parse(expression.trim()).validate();
      return new CronTicks(ExecutionTime.forCron(cron), zone);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("cron", "invalid " + syntax.name().toLowerCase() + " cron expression: " + e.getMessage());
    }
  }

  /** Guesses the syntax from the number of fields: five for Unix, six or seven for Quartz. */
  static CronSyntax guessSyntax(String expression) {
    return expression != null && expression.trim().split("\\s+").length >= 6 ? CronSyntax.QUARTZ : CronSyntax.UNIX;
  }

  /** The first tick strictly after {@code after}. */
  Optional<Instant> nextAfter(Instant after) {
    // Ticks fall on whole seconds; cron-utils would keep the fraction of a second of `after`.
    ZonedDateTime from = ZonedDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS);
    return times.nextExecution(from).map(ZonedDateTime::toInstant);
  }

  /** The latest tick at or before {@code now}. */
  Optional<Instant> latestAtOrBefore(Instant now) {
    // Ticks fall on whole seconds and lastExecution is strictly before its argument, so the last
    // tick before the next whole second is the latest at or before now. (isMatch cannot decide
    // "now is a tick": for five-field expressions it ignores seconds, so 08:00:30 matches 0 8 * * *.)
    ZonedDateTime nextSecond =
        ZonedDateTime.ofInstant(now, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    return times.lastExecution(nextSecond).map(ZonedDateTime::toInstant);
  }
}
