package dev.vigil.bench.history;

import dev.vigil.observe.history.HistoryRollup;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.Tier;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Measures what metric history takes on disk, per resolution, from the database of a real run:
 *
 * <pre>
 * ./vigil demo --fresh --data-dir /tmp/history-demo     # leave it running 80 minutes or more
 * java -cp "$(cat vigil-bench/target/classpath.txt):vigil-bench/target/classes" \
 *     dev.vigil.bench.history.HistorySizes /tmp/history-demo/vigil.db
 * </pre>
 *
 * <p>It copies the database ({@code VACUUM INTO}, so the demo may keep running) and works on the
 * copy. It takes the last whole hour of raw samples the run holds and measures the bytes that
 * hour takes in each tier: its raw chunks, and its one-minute roll-up (rolled up on the copy when
 * the run has not yet). Bytes are the chunks' own ({@code length(data)}) plus each row's share of
 * the table and its index, from SQLite's {@code dbstat} pages. A day is 24 such hours. The
 * one-hour tier needs a whole day of minutes; the copy's minutes are rolled up into hours as if
 * the day had ended, and the bytes of a day's chunk are extrapolated from the hours it holds (an
 * upper bound: a chunk's first point and its header cost the most). The 30-day figure is what the
 * default retention keeps once the demo has run that long: two days of raw samples, thirty of
 * minutes and thirty of hours.
 */
public final class HistorySizes {
  private static final long HOUR = 3_600_000L;

  private HistorySizes() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: HistorySizes <vigil.db of a run>");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("vigil-history-sizes");
    Path copy = dir.resolve("vigil.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Path.of(args[0]).toAbsolutePath());
        Statement s = c.createStatement()) {
      s.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
    }
    new HistorySizes().measure(copy);
  }

  private void measure(Path db) throws SQLException {
    HistorySettings settings = HistorySettings.DEFAULTS;
    long first;
    long last;
    int series;
    try (Connection c = connect(db)) {
      first = single(c, "SELECT min(start_ms) FROM history_chunks WHERE tier = 0");
      last = single(c, "SELECT max(end_ms) FROM history_chunks WHERE tier = 0");
      series = (int) single(c, "SELECT count(*) FROM history_series");
    }
    long hourEnd = Math.floorDiv(last, HOUR) * HOUR;
    long hourStart = hourEnd - HOUR;
    if (hourStart < first) {
      throw new IllegalStateException("the run holds no whole hour of raw samples: let it run longer");
    }
    System.out.printf(Locale.ROOT, "run: %s to %s, %d series; measured hour: (%s, %s]%n",
        Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), series, Instant.ofEpochMilli(hourStart),
        Instant.ofEpochMilli(hourEnd));

    try (SqliteJobStore jobs = SqliteJobStore.open(db)) {
      HistoryStore store = jobs.historyStore();
      // minutes of every whole raw period; then hours, as if the day had ended
      new HistoryRollup(store, settings).run(Instant.ofEpochMilli(hourEnd).plus(Duration.ofMinutes(1)));
      long dayEnd = Math.floorDiv(last - 1, 86_400_000L) * 86_400_000L + 86_400_000L;
      new HistoryRollup(store, settings).run(Instant.ofEpochMilli(last).plus(Duration.ofDays(3)));
      store.writeRollup(Tier.MINUTE, List.of(), Instant.ofEpochMilli(dayEnd));
      new HistoryRollup(store, settings).run(Instant.ofEpochMilli(dayEnd).plus(Duration.ofMinutes(1)));
    }

    try (Connection c = connect(db)) {
      double rowShare = rowShare(c);
      Measured raw = measured(c, 0, hourStart, hourEnd, rowShare);
      Measured minute = measured(c, 1, hourStart, hourEnd, rowShare);
      Measured hours = measured(c, 2, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, rowShare);
      long seriesBytes = pages(c, "history_series") + pages(c, "sqlite_autoindex_history_series_1");
      double hourPointsPerChunk = hours.chunks == 0 ? 0 : (double) hours.points / hours.chunks;
      double rawDay = raw.bytes() * 24;
      double minuteDay = minute.bytes() * 24;
      double hourDay = hourPointsPerChunk == 0 ? 0 : hours.bytes() * 24 / hourPointsPerChunk;

      System.out.printf(Locale.ROOT, "row and index bytes per chunk: %.1f%n", rowShare);
      System.out.printf(Locale.ROOT, "%-7s %8s %8s %11s %11s %13s%n", "tier", "chunks", "points", "data B", "B/point", "bytes/day");
      print("raw", raw, rawDay, 24);
      print("minute", minute, minuteDay, 24);
      print("hour", hours, hourDay, 24 / hourPointsPerChunk);
      double month = 2 * rawDay + 30 * minuteDay + 30 * hourDay + seriesBytes;
      System.out.printf(Locale.ROOT, "series table and its index: %d bytes%n", seriesBytes);
      System.out.printf(Locale.ROOT,
          "30 days at the default retention (raw 48 h, minutes 30 d, hours 30 of 400 d): %.1f MB%n", month / 1e6);
      System.out.printf(Locale.ROOT, "a year (raw 48 h, minutes 30 d, hours 365 d): %.1f MB%n",
          (2 * rawDay + 30 * minuteDay + 365 * hourDay + seriesBytes) / 1e6);
    }
  }

  private static void print(String tier, Measured m, double perDay, double scale) {
    System.out.printf(Locale.ROOT, "%-7s %8d %8d %11d %11.2f %13.0f%n", tier, m.chunks, m.points, m.data,
        m.points == 0 ? 0 : m.bytes() / m.points, perDay);
  }

  /** Chunks of a tier starting in (from, to], with their bytes and each row's share of pages. */
  private record Measured(long chunks, long points, long data, double rowShare) {
    double bytes() {
      return data + chunks * rowShare;
    }
  }

  private static Measured measured(Connection c, int tier, long from, long to, double rowShare) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT count(*), coalesce(sum(points), 0), coalesce(sum(length(data)), 0) FROM history_chunks"
            + " WHERE tier = ? AND start_ms > ? AND start_ms <= ?")) {
      ps.setInt(1, tier);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Measured(rs.getLong(1), rs.getLong(2), rs.getLong(3), rowShare);
      }
    }
  }

  /** The bytes of the chunk table and its index beyond the chunks' data, per row. */
  private static double rowShare(Connection c) throws SQLException {
    long rows = single(c, "SELECT count(*) FROM history_chunks");
    long data = single(c, "SELECT sum(length(data)) FROM history_chunks");
    long pages = pages(c, "history_chunks") + pages(c, "history_chunks_key");
    return (double) (pages - data) / rows;
  }

  private static long pages(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(Path db) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
  }
}
