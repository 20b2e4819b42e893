package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.observe.history.MetricKind;
import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Metric history in the job store's own database (tables of migration V5), read and written
 * through the store's own connections: on SQLite the group-committing writer and the read pool,
 * on PostgreSQL the pool. The SQL is the same in both dialects (upserts with {@code ON CONFLICT},
 * ranges on the one chunk index), so one class serves both, as {@link SqlJobStore} does for the
 * jobs' portable statements.
 *
 * <p>Labels are stored as a JSON object with sorted keys, so one label set has one text and the
 * series' unique key can include it.
 */
final class SqlHistoryStore implements HistoryStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IN_LIST = 500;

  private static final String INSERT_SERIES =
      "INSERT INTO history_series (name, node, labels, kind, bounds) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (name, node, labels) DO NOTHING";
  private static final String FIND_SERIES =
      "SELECT id, name, node, labels, kind, bounds FROM history_series WHERE name = ? AND node = ? AND labels = ?";
  private static final String ALL_SERIES = "SELECT id, name, node, labels, kind, bounds FROM history_series ORDER BY id";
  private static final String SERIES_NAMED =
      "SELECT id, name, node, labels, kind, bounds FROM history_series WHERE name = ? ORDER BY id";
  private static final String UPSERT_CHUNK =
      "INSERT INTO history_chunks (tier, start_ms, series_id, end_ms, points, data) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (tier, start_ms, series_id)"
          + " DO UPDATE SET end_ms = excluded.end_ms, points = excluded.points, data = excluded.data";
  private static final String CHUNK_COLUMNS = "SELECT series_id, tier, start_ms, end_ms, points, data FROM history_chunks";
  private static final String STARTING =
      CHUNK_COLUMNS + " WHERE tier = ? AND start_ms > ? AND start_ms <= ? ORDER BY series_id, start_ms";
  private static final String FIRST_START = "SELECT min(start_ms) FROM history_chunks WHERE tier = ? AND start_ms > ?";
  private static final String UPSERT_ROLLED =
      "INSERT INTO history_rollups (tier, rolled_until_ms) VALUES (?, ?)"
          + " ON CONFLICT (tier) DO UPDATE SET rolled_until_ms = excluded.rolled_until_ms";
  private static final String ROLLED = "SELECT rolled_until_ms FROM history_rollups WHERE tier = ?";
  private static final String PURGE = "DELETE FROM history_chunks WHERE tier = ? AND start_ms < ? AND end_ms < ?";
  /** One scan of the chunk index, not one per series: series_id is not its leading column. */
  private static final String PURGE_SERIES =
      "DELETE FROM history_series WHERE id NOT IN (SELECT DISTINCT series_id FROM history_chunks)";

  private final SqlJobStore db;

  SqlHistoryStore(SqlJobStore db) {
    this.db = db;
  }

  @Override
  public List<StoredSeries> register(List<SeriesKey> keys) {
    List<SeriesKey> copy = List.copyOf(keys);
    if (copy.isEmpty()) {
      return List.of();
    }
    // Keys are inserted in one fixed order, so two registrations that overlap cannot deadlock on
    // the unique index (PostgreSQL); the answer keeps the callers' order.
    List<String> labelTexts = copy.stream().map(SqlHistoryStore::labels).toList();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < copy.size(); i++) {
      order.add(i);
    }
    order.sort(
        java.util.Comparator.<Integer, String>comparing(i -> copy.get(i).name())
            .thenComparing(i -> copy.get(i).node())
            .thenComparing(labelTexts::get));
    return db.write(
        (c, lanes) -> {
          StoredSeries[] out = new StoredSeries[copy.size()];
          try (PreparedStatement insert = c.prepareStatement(INSERT_SERIES);
              PreparedStatement find = c.prepareStatement(FIND_SERIES)) {
            for (int i : order) {
              SeriesKey k = copy.get(i);
              String labels = labelTexts.get(i);
              insert.setString(1, k.name());
              insert.setString(2, k.node());
              insert.setString(3, labels);
              insert.setString(4, k.kind().wireName());
              insert.setString(5, bounds(k.bounds()));
              insert.executeUpdate();
              find.setString(1, k.name());
              find.setString(2, k.node());
              find.setString(3, labels);
              try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                  throw new SQLException("a registered series is missing");
                }
                out[i] = series(rs);
              }
            }
          }
          return List.of(out);
        });
  }

  @Override
  public List<StoredSeries> series() {
    return db.read(c -> seriesOf(c, ALL_SERIES, null));
  }

  @Override
  public List<StoredSeries> series(String name) {
    Objects.requireNonNull(name, "name");
    return db.read(c -> seriesOf(c, SERIES_NAMED, name));
  }

  @Override
  public void write(List<Chunk> chunks) {
    List<Chunk> copy = List.copyOf(chunks);
    if (copy.isEmpty()) {
      return;
    }
    db.write(
        (c, lanes) -> {
          upsert(c, copy);
          return null;
        });
  }

  @Override
  public List<Chunk> read(Tier tier, Collection<Long> seriesIds, Instant from, Instant to) {
    List<Long> ids = new ArrayList<>(new TreeSet<>(seriesIds));
    if (ids.isEmpty() || from.isAfter(to)) {
      return List.of();
    }
    long earliestStart = from.toEpochMilli() - tier.chunkPeriod().toMillis();
    return db.read(
        c -> {
          List<Chunk> out = new ArrayList<>();
          for (int i = 0; i < ids.size(); i += IN_LIST) {
            List<Long> part = ids.subList(i, Math.min(ids.size(), i + IN_LIST));
            String sql =
                CHUNK_COLUMNS + " WHERE tier = ? AND start_ms >= ? AND start_ms <= ? AND end_ms >= ? AND series_id IN ("
                    + part.stream().map(x -> "?").collect(Collectors.joining(", ")) + ") ORDER BY series_id, start_ms";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setInt(1, tier.code());
              ps.setLong(2, earliestStart);
              ps.setLong(3, to.toEpochMilli());
              ps.setLong(4, from.toEpochMilli());
              for (int k = 0; k < part.size(); k++) {
                ps.setLong(5 + k, part.get(k));
              }
              chunks(ps, out);
            }
          }
          return out;
        });
  }

  @Override
  public List<Chunk> readStarting(Tier tier, Instant after, Instant until) {
    return db.read(
        c -> {
          List<Chunk> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(STARTING)) {
            ps.setInt(1, tier.code());
            ps.setLong(2, after.toEpochMilli());
            ps.setLong(3, until.toEpochMilli());
            chunks(ps, out);
          }
          return out;
        });
  }

  @Override
  public Optional<Instant> firstStartAfter(Tier tier, Instant after) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(FIRST_START)) {
            ps.setInt(1, tier.code());
            ps.setLong(2, after.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
              long first = rs.next() ? rs.getLong(1) : 0;
              return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(first));
            }
          }
        });
  }

  @Override
  public void writeRollup(Tier tier, List<Chunk> chunks, Instant rolledUntil) {
    List<Chunk> copy = List.copyOf(chunks);
    db.write(
        (c, lanes) -> {
          upsert(c, copy);
          try (PreparedStatement ps = c.prepareStatement(UPSERT_ROLLED)) {
            ps.setInt(1, tier.code());
            ps.setLong(2, rolledUntil.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<Instant> rolledUntil(Tier tier) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(ROLLED)) {
            ps.setInt(1, tier.code());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.<Instant>empty();
            }
          }
        });
  }

  @Override
  public int purge(Tier tier, Instant before) {
    return db.write(
        (c, lanes) -> {
          try (PreparedStatement ps = c.prepareStatement(PURGE)) {
            ps.setInt(1, tier.code());
            ps.setLong(2, before.toEpochMilli());
            ps.setLong(3, before.toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public int purgeEmptySeries() {
    return db.write(
        (c, lanes) -> {
          try (PreparedStatement ps = c.prepareStatement(PURGE_SERIES)) {
            return ps.executeUpdate();
          }
        });
  }

  private static void upsert(Connection c, List<Chunk> chunks) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_CHUNK)) {
      for (Chunk k : chunks) {
        ps.setInt(1, k.tier().code());
        ps.setLong(2, k.start().toEpochMilli());
        ps.setLong(3, k.seriesId());
        ps.setLong(4, k.end().toEpochMilli());
        ps.setInt(5, k.points());
        ps.setBytes(6, k.data());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void chunks(PreparedStatement ps, List<Chunk> out) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Chunk(
                rs.getLong(1), Tier.of(rs.getInt(2)), Instant.ofEpochMilli(rs.getLong(3)),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5), rs.getBytes(6)));
      }
    }
  }

  private static List<StoredSeries> seriesOf(Connection c, String sql, String name) throws SQLException {
    List<StoredSeries> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (name != null) {
        ps.setString(1, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(series(rs));
        }
      }
    }
    return out;
  }

  private static StoredSeries series(ResultSet rs) throws SQLException {
    TreeMap<String, String> labels;
    try {
      labels = JSON.readValue(rs.getString(4), new TypeReference<TreeMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("stored labels are not a JSON object", e);
    }
    List<Double> bounds = new ArrayList<>();
    String text = rs.getString(6);
    if (!text.isEmpty()) {
      for (String b : text.split(",")) {
        bounds.add(Double.parseDouble(b));
      }
    }
    return new StoredSeries(
        rs.getLong(1),
        new SeriesKey(rs.getString(2), MetricKind.fromWire(rs.getString(5)), rs.getString(3), labels, bounds));
  }

  private static String labels(SeriesKey k) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(k.labels()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels cannot be written as JSON", e);
    }
  }

  private static String bounds(List<Double> bounds) {
    return bounds.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
