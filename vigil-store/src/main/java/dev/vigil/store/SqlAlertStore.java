package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.observe.alerts.Alert;
import dev.vigil.observe.alerts.AlertEvent;
import dev.vigil.observe.alerts.AlertState;
import dev.vigil.observe.alerts.Silence;
import dev.vigil.observe.alerts.spi.AlertStore;
import dev.vigil.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The alert engine's tables ({@code alerts}, {@code alert_history}, {@code alert_silences}) on a
 * SQL store, through that store's own reads and writes: SQLite's single writer, PostgreSQL's
 * pool. The statements are the same in both dialects.
 */
final class SqlAlertStore implements AlertStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private static final String ALERT_COLUMNS =
      "fingerprint, active_since, rule, labels, annotations, state, firing_since, last_active_at,"
          + " resolved_at, value, notified_state, notified_at";

  private final SqlJobStore store;

  SqlAlertStore(SqlJobStore store) {
    this.store = store;
  }

  @Override
  public List<Alert> alerts() {
    return store.read(
        c -> {
          List<Alert> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM alerts");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(alert(rs));
            }
          }
          return out;
        });
  }

  @Override
  public void save(List<Alert> alerts, List<AlertEvent> events) {
    List<Alert> all = List.copyOf(alerts);
    List<AlertEvent> history = List.copyOf(events);
    store.write(
        (c, lanes) -> {
          try (PreparedStatement clear = c.prepareStatement("DELETE FROM alerts")) {
            clear.executeUpdate();
          }
          insertAlerts(c, all);
          appendHistory(c, history);
          return null;
        });
  }

  @Override
  public void notified(List<Alert> alerts) {
    List<Alert> told = List.copyOf(alerts);
    store.write(
        (c, lanes) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alerts SET notified_state = ?, notified_at = ? WHERE fingerprint = ? AND active_since = ?")) {
            for (Alert a : told) {
              Jdbc.setString(ps, 1, a.notifiedState() == null ? null : a.notifiedState().wireName());
              Jdbc.setInstant(ps, 2, a.notifiedAt());
              ps.setString(3, a.fingerprint());
              Jdbc.setInstant(ps, 4, a.activeSince());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<AlertEvent> history(Instant since, int limit, Optional<Long> beforeId) {
    Objects.requireNonNull(since, "since");
    return store.read(
        c -> {
          String sql =
              "SELECT id, rule, labels, state, at, value, duration_ms FROM alert_history WHERE at >= ?"
                  + (beforeId.isPresent() ? " AND id < ?" : "")
                  + " ORDER BY id DESC LIMIT ?";
          List<AlertEvent> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            Jdbc.setInstant(ps, i++, since);
            if (beforeId.isPresent()) {
              ps.setLong(i++, beforeId.get());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AlertEvent(
                        rs.getLong(1), rs.getString(2), labels(rs.getString(3)), state(rs.getString(4)),
                        Jdbc.instant(rs, 5), rs.getDouble(6), rs.getLong(7)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void addSilence(Silence s) {
    store.write(
        (c, lanes) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO alert_silences (id, rule, matchers, starts_at, ends_at, comment) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            Jdbc.setString(ps, 2, s.rule());
            ps.setString(3, json(s.matchers()));
            Jdbc.setInstant(ps, 4, s.startsAt());
            Jdbc.setInstant(ps, 5, s.endsAt());
            Jdbc.setString(ps, 6, s.comment());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean expireSilence(String id, Instant now) {
    return store.write(
        (c, lanes) -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE alert_silences SET ends_at = ? WHERE id = ? AND ends_at > ?")) {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, id);
            Jdbc.setInstant(ps, 3, now);
            return ps.executeUpdate() > 0;
          }
        });
  }

  @Override
  public List<Silence> silences(Instant now) {
    return store.read(
        c -> {
          List<Silence> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, rule, matchers, starts_at, ends_at, comment FROM alert_silences WHERE ends_at > ?"
                      + " ORDER BY ends_at, id")) {
            Jdbc.setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Silence(
                        rs.getString(1), rs.getString(2), labels(rs.getString(3)), Jdbc.instant(rs, 4),
                        Jdbc.instant(rs, 5), rs.getString(6)));
              }
            }
          }
          return out;
        });
  }

  private static void insertAlerts(Connection c, List<Alert> alerts) throws SQLException {
    if (alerts.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alerts (" + ALERT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Alert a : alerts) {
        ps.setString(1, a.fingerprint());
        Jdbc.setInstant(ps, 2, a.activeSince());
        ps.setString(3, a.rule());
        ps.setString(4, json(a.labels()));
        ps.setString(5, json(a.annotations()));
        ps.setString(6, a.state().wireName());
        Jdbc.setInstant(ps, 7, a.firingSince());
        Jdbc.setInstant(ps, 8, a.lastActiveAt());
        Jdbc.setInstant(ps, 9, a.resolvedAt());
        ps.setDouble(10, finite(a.value()));
        Jdbc.setString(ps, 11, a.notifiedState() == null ? null : a.notifiedState().wireName());
        Jdbc.setInstant(ps, 12, a.notifiedAt());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void appendHistory(Connection c, List<AlertEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert_history (rule, labels, state, at, value, duration_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (AlertEvent e : events) {
        ps.setString(1, e.rule());
        ps.setString(2, json(e.labels()));
        ps.setString(3, e.state().wireName());
        Jdbc.setInstant(ps, 4, e.at());
        ps.setDouble(5, finite(e.value()));
        ps.setLong(6, e.durationMs());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** NaN and infinities have no column type in both dialects; they are kept as 0. */
  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    String notified = rs.getString(11);
    return new Alert(
        rs.getString(1),
        rs.getString(3),
        labels(rs.getString(4)),
        labels(rs.getString(5)),
        state(rs.getString(6)),
        Jdbc.instant(rs, 2),
        Jdbc.instant(rs, 7),
        Jdbc.instant(rs, 8),
        Jdbc.instant(rs, 9),
        rs.getDouble(10),
        notified == null ? null : state(notified),
        Jdbc.instant(rs, 12));
  }

  private static AlertState state(String wire) {
    return AlertState.valueOf(wire.toUpperCase(Locale.ROOT));
  }

  private static String json(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> labels(String json) {
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored alert's labels are not JSON", e);
    }
  }

}
