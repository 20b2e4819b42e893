package dev.vigil.store.internal;

import dev.vigil.store.NodeRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The node registry and the leader's term, in SQL that SQLite and PostgreSQL both speak. */
public final class NodeStatements {
  private static final String UPSERT_NODE =
      "INSERT INTO nodes (id, host, version, started_at, last_heartbeat, running_jobs)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET host = excluded.host,"
          + " version = excluded.version, started_at = excluded.started_at,"
          + " last_heartbeat = excluded.last_heartbeat, running_jobs = excluded.running_jobs";

  private static final String NODES =
      "SELECT id, host, version, started_at, last_heartbeat, running_jobs FROM nodes ORDER BY id";

  private static final String LEAD =
      "INSERT INTO leader (id, node_id, term_ends_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE"
          + " SET node_id = excluded.node_id, term_ends_at = excluded.term_ends_at"
          + " WHERE leader.node_id = excluded.node_id OR leader.term_ends_at < ?";

  private NodeStatements() {}

  public static void heartbeat(Connection c, NodeRecord n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_NODE)) {
      ps.setString(1, n.id());
      ps.setString(2, n.host());
      ps.setString(3, n.version());
      ps.setLong(4, n.startedAt().toEpochMilli());
      ps.setLong(5, n.lastHeartbeat().toEpochMilli());
      ps.setInt(6, n.runningJobs());
      ps.executeUpdate();
    }
  }

  public static List<NodeRecord> nodes(Connection c) throws SQLException {
    var nodes = new ArrayList<NodeRecord>();
    try (PreparedStatement ps = c.prepareStatement(NODES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        nodes.add(
            new NodeRecord(
                rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, 4),
                Jdbc.instant(rs, 5), rs.getInt(6)));
      }
    }
    return nodes;
  }

  /** @return whether {@code nodeId} holds the leader's term until {@code now + term} */
  public static boolean tryLead(Connection c, String nodeId, Instant now, Duration term)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LEAD)) {
      ps.setString(1, nodeId);
      ps.setLong(2, now.plus(term).toEpochMilli());
      ps.setLong(3, now.toEpochMilli());
      return ps.executeUpdate() > 0;
    }
  }
}
