package dev.vigil.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** The SQL of the {@code lane_state} table: durable pause flags. */
public final class LaneStates {
  private LaneStates() {}

  public static void setPaused(Connection c, String lane, boolean paused) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO lane_state (lane, paused) VALUES (?, ?)"
                + " ON CONFLICT (lane) DO UPDATE SET paused = excluded.paused")) {
      ps.setString(1, lane);
      ps.setBoolean(2, paused);
      ps.executeUpdate();
    }
  }

  /** Every lane whose flag was ever set, with its value, by lane name. */
  public static Map<String, Boolean> pauses(Connection c) throws SQLException {
    Map<String, Boolean> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT lane, paused FROM lane_state");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    return out;
  }
}
