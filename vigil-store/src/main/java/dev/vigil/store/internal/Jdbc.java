package dev.vigil.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;

/**
 * Small JDBC conveniences shared by the SQL stores: nullable parameters, and instants stored as
 * epoch milliseconds in integer columns (the one time representation every Vigil dialect uses).
 */
public final class Jdbc {
  private Jdbc() {}

  /** Epoch milliseconds, or {@code null}. */
  public static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  /** Binds an instant as epoch milliseconds, or SQL NULL. */
  public static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, t.toEpochMilli());
    }
  }

  /** Binds a string, or SQL NULL. */
  public static void setString(PreparedStatement ps, int index, String s) throws SQLException {
    if (s == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, s);
    }
  }

  /** Binds a double, or SQL NULL. */
  public static void setDouble(PreparedStatement ps, int index, Double d) throws SQLException {
    if (d == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, d);
    }
  }

  /** Reads an epoch-milliseconds column as an instant, or {@code null}. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  /** Reads an epoch-milliseconds column by position as an instant, or {@code null}. */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  /** Reads a milliseconds column by position as a duration, or {@code null}. */
  public static Duration duration(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Duration.ofMillis(v);
  }

  /** Reads a nullable floating-point column by position. */
  public static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** Reads a milliseconds column as a duration, or {@code null}. */
  public static Duration duration(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Duration.ofMillis(v);
  }

  /** Reads a nullable floating-point column. */
  public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** {@code ?, ?, ?} with one marker per element, for an {@code IN (...)} list. */
  public static String markers(Collection<?> values) {
    return markers(values.size());
  }

  /** {@code ?, ?, ?} with {@code n} markers. */
  public static String markers(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
