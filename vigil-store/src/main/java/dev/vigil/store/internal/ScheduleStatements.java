package dev.vigil.store.internal;

import dev.vigil.job.Schedule;
import dev.vigil.job.Schedule.CronSyntax;
import dev.vigil.store.ScheduleUpsert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SQL of the {@code schedules} table. A replaced schedule keeps its original {@code
 * created_at}, and its {@code last_fired_at} unless the replacement gives one.
 */
public final class ScheduleStatements {
  private static final String COLUMNS =
      "name, cron, syntax, timezone, job_json, next_fire_at, last_fired_at, created_at, updated_at";

  private static final String UPSERT =
      "INSERT INTO schedules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET cron = excluded.cron, syntax = excluded.syntax,"
          + " timezone = excluded.timezone, job_json = excluded.job_json,"
          + " next_fire_at = excluded.next_fire_at,"
          + " last_fired_at = coalesce(excluded.last_fired_at, schedules.last_fired_at),"
          + " updated_at = excluded.updated_at"
          + " RETURNING " + COLUMNS;

  private static final String FIRE =
      "UPDATE schedules SET next_fire_at = ?, last_fired_at = ? WHERE name = ? AND next_fire_at = ?";

  private ScheduleStatements() {}

  /** Creates or replaces a schedule by name. */
  public static ScheduleUpsert upsert(Connection c, Schedule s) throws SQLException {
    boolean created = get(c, s.name()).isEmpty();
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      ps.setString(1, s.name());
      ps.setString(2, s.cron());
      ps.setString(3, s.syntax().name().toLowerCase(Locale.ROOT));
      ps.setString(4, s.timezone().getId());
      ps.setString(5, s.jobJson());
      Jdbc.setInstant(ps, 6, s.nextFireAt());
      Jdbc.setInstant(ps, 7, s.lastFiredAt());
      Jdbc.setInstant(ps, 8, s.createdAt());
      Jdbc.setInstant(ps, 9, s.updatedAt());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new ScheduleUpsert(schedule(rs), created);
      }
    }
  }

  public static Optional<Schedule> get(Connection c, String name) throws SQLException {
    List<Schedule> found = list(c, " WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  /** All schedules, by name. */
  public static List<Schedule> list(Connection c) throws SQLException {
    return list(c, " ORDER BY name", null);
  }

  /** Schedules with {@code next_fire_at <= now}, earliest first. */
  public static List<Schedule> due(Connection c, Instant now) throws SQLException {
    return list(c, " WHERE next_fire_at <= ? ORDER BY next_fire_at, name", now.toEpochMilli());
  }

  public static boolean delete(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Moves a schedule to its next tick if it is still at {@code expected} (compare-and-set).
   *
   * @return whether this call moved it
   */
  public static boolean advance(
      Connection c, String name, Instant expected, Instant tick, Instant next) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIRE)) {
      Jdbc.setInstant(ps, 1, next);
      Jdbc.setInstant(ps, 2, tick);
      ps.setString(3, name);
      Jdbc.setInstant(ps, 4, expected);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<Schedule> list(Connection c, String tail, Object arg) throws SQLException {
    List<Schedule> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM schedules" + tail)) {
      if (arg != null) {
        ps.setObject(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(schedule(rs));
        }
      }
    }
    return out;
  }

  private static Schedule schedule(ResultSet rs) throws SQLException {
    return new Schedule(
        rs.getString("name"),
        rs.getString("cron"),
        CronSyntax.valueOf(rs.getString("syntax").toUpperCase(Locale.ROOT)),
        ZoneId.of(rs.getString("timezone")),
        rs.getString("job_json"),
        Jdbc.instant(rs, "next_fire_at"),
        Jdbc.instant(rs, "last_fired_at"),
        Jdbc.instant(rs, "created_at"),
        Jdbc.instant(rs, "updated_at"));
  }
}
