package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.Schedule.CronSyntax;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CronTicksTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant JAN_1_0800 = Instant.parse("2025-01-01T08:00:00Z");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 8 * * *          | 2025-01-01T07:59:59Z | 2025-01-01T08:00:00Z
          */15 * * * *       | 2025-01-01T08:01:00Z | 2025-01-01T08:15:00Z
          0 9-17 * * MON-FRI | 2025-01-03T18:00:00Z | 2025-01-06T09:00:00Z
          30 2 1 * *         | 2025-01-15T00:00:00Z | 2025-02-01T02:30:00Z
          """)
  void unix_five_field_expressions_parse_and_tick(String cron, Instant after, Instant next) {
    var ticks = CronTicks.parse(cron, CronSyntax.UNIX, UTC);

    assertThat(ticks.nextAfter(after)).contains(next);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 0 8 ? * *             | 2025-01-01T07:59:59Z | 2025-01-01T08:00:00Z
          */10 * * * * ?          | 2025-01-01T08:00:01Z | 2025-01-01T08:00:10Z
          0 0 8 ? * MON-FRI       | 2025-01-03T09:00:00Z | 2025-01-06T08:00:00Z
          0 0 8 1 1 ? 2030        | 2025-01-01T00:00:00Z | 2030-01-01T08:00:00Z
          0 30 6 ? * * 2025-2026  | 2025-06-01T07:00:00Z | 2025-06-02T06:30:00Z
          """)
  void quartz_six_and_seven_field_expressions_parse_and_tick(
      String cron, Instant after, Instant next) {
    var ticks = CronTicks.parse(cron, CronSyntax.QUARTZ, UTC);

    assertThat(ticks.nextAfter(after)).contains(next);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          61 * * * *    | UNIX
          0 8 * *       | UNIX
          not a cron    | UNIX
          0 8 32 * *    | UNIX
          0 8 * * MON-X | UNIX
          5/ * * * *    | UNIX
          @daily        | UNIX
          0 0 8 * * *   | UNIX
          0 8 * * *     | QUARTZ
          0 0 8 * * *   | QUARTZ
          0 0 25 ? * *  | QUARTZ
          """)
  void invalid_expressions_are_refused_on_the_cron_field(String cron, CronSyntax syntax) {
    assertThatThrownBy(() -> CronTicks.parse(cron, syntax, UTC))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("cron"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void a_missing_expression_is_refused_on_the_cron_field(String cron) {
    assertThatThrownBy(() -> CronTicks.parse(cron, CronSyntax.UNIX, UTC))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("cron"));
  }

  @Test
  void surrounding_whitespace_is_ignored() {
    var ticks = CronTicks.parse("  0 8 * * *\n", CronSyntax.UNIX, UTC);

    assertThat(ticks.nextAfter(JAN_1_0800.minusSeconds(1))).contains(JAN_1_0800);
  }

  @Test
  void a_seconds_schedule_ticks_on_whole_seconds_whatever_the_fraction_of_now() {
    var ticks = CronTicks.parse("* * * * * ?", CronSyntax.QUARTZ, UTC);

    assertThat(ticks.nextAfter(JAN_1_0800.plusMillis(584))).contains(JAN_1_0800.plusSeconds(1));
    assertThat(ticks.nextAfter(JAN_1_0800)).contains(JAN_1_0800.plusSeconds(1));
  }

  @Test
  void next_tick_is_strictly_after_the_given_instant() {
    var ticks = CronTicks.parse("0 8 * * *", CronSyntax.UNIX, UTC);
    Instant nextDay = JAN_1_0800.plus(Duration.ofDays(1));

    assertThat(ticks.nextAfter(JAN_1_0800)).contains(nextDay);
    assertThat(ticks.nextAfter(JAN_1_0800.minusMillis(1))).contains(JAN_1_0800);
    assertThat(ticks.nextAfter(JAN_1_0800.plusMillis(1))).contains(nextDay);
  }

  @Test
  void latest_tick_is_now_itself_when_now_is_exactly_on_a_tick() {
    var ticks = CronTicks.parse("0 8 * * *", CronSyntax.UNIX, UTC);

    assertThat(ticks.latestAtOrBefore(JAN_1_0800)).contains(JAN_1_0800);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.5S", "PT1S", "PT30S", "PT59.999S", "PT1M", "PT3H", "PT23H59M59S"})
  void latest_tick_is_the_previous_tick_when_now_is_after_it(Duration sinceTick) {
    var ticks = CronTicks.parse("0 8 * * *", CronSyntax.UNIX, UTC);

    assertThat(ticks.latestAtOrBefore(JAN_1_0800.plus(sinceTick))).contains(JAN_1_0800);
  }

  @Test
  void latest_tick_one_second_before_a_tick_is_the_day_before() {
    var ticks = CronTicks.parse("0 8 * * *", CronSyntax.UNIX, UTC);

    assertThat(ticks.latestAtOrBefore(JAN_1_0800.minusSeconds(1)))
        .contains(JAN_1_0800.minus(Duration.ofDays(1)));
  }

  @Test
  void latest_quartz_tick_keeps_its_seconds() {
    var ticks = CronTicks.parse("*/10 * * * * ?", CronSyntax.QUARTZ, UTC);

    assertThat(ticks.latestAtOrBefore(JAN_1_0800.plusSeconds(10)))
        .contains(JAN_1_0800.plusSeconds(10));
    assertThat(ticks.latestAtOrBefore(JAN_1_0800.plusMillis(19_999)))
        .contains(JAN_1_0800.plusSeconds(10));
  }

  @Test
  void eight_in_the_morning_in_paris_is_seven_utc_in_winter_and_six_in_summer() {
    var ticks = CronTicks.parse("0 8 * * *", CronSyntax.UNIX, PARIS);

    assertThat(ticks.nextAfter(Instant.parse("2025-01-15T00:00:00Z")))
        .contains(Instant.parse("2025-01-15T07:00:00Z"));
    assertThat(ticks.nextAfter(Instant.parse("2025-07-15T00:00:00Z")))
        .contains(Instant.parse("2025-07-15T06:00:00Z"));
    // The morning the clocks go forward (30 March 2025) is already summer time at 08:00.
    assertThat(ticks.nextAfter(Instant.parse("2025-03-30T00:00:00Z")))
        .contains(Instant.parse("2025-03-30T06:00:00Z"));
    assertThat(ticks.latestAtOrBefore(Instant.parse("2025-07-15T06:30:00Z")))
        .contains(Instant.parse("2025-07-15T06:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 8 * * *              | UNIX
          '  0   8 * *  *  '     | UNIX
          0 0 8 ? * *            | QUARTZ
          0 0 8 ? * * 2030       | QUARTZ
          ''                     | UNIX
          """)
  void syntax_is_guessed_from_the_number_of_fields(String cron, CronSyntax expected) {
    assertThat(CronTicks.guessSyntax(cron)).isEqualTo(expected);
  }

  @Test
  void a_missing_expression_is_guessed_as_unix() {
    assertThat(CronTicks.guessSyntax(null)).isEqualTo(CronSyntax.UNIX);
  }

  @Property(tries = 300)
  void latest_tick_is_a_real_tick_at_or_before_now_and_no_tick_lies_between_it_and_now(
      @ForAll("expressions") String cron, @ForAll("instants") Instant now) {
    var ticks = CronTicks.parse(cron, CronTicks.guessSyntax(cron), PARIS);

    Instant latest = ticks.latestAtOrBefore(now).orElseThrow();
    Instant next = ticks.nextAfter(now).orElseThrow();

    assertThat(latest).isBeforeOrEqualTo(now);
    assertThat(next).isAfter(now);
    // latest is itself a tick, and the tick after it is the one after now.
    assertThat(ticks.nextAfter(latest.minusMillis(1))).contains(latest);
    assertThat(ticks.nextAfter(latest)).contains(next);
  }

  @Provide
  Arbitrary<String> expressions() {
    return Arbitraries.of(
        "0 8 * * *",
        "*/15 * * * *",
        "0 9-17 * * MON-FRI",
        "*/10 * * * * ?",
        "0 0 8 ? * *",
        "* * * * *");
  }

  @Provide
  Arbitrary<Instant> instants() {
    long from = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
    return Arbitraries.longs().between(from, to).map(Instant::ofEpochMilli);
  }
}
