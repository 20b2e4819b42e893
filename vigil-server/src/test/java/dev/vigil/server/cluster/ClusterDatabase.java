package dev.vigil.server.cluster;

import dev.vigil.store.PostgresTestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh PostgreSQL database for one cluster test, on the tests' shared server or on a private
 * server the test may stop and start ({@link PostgresTestServer}), with the {@code VIGIL_*}
 * variables that point a node at it and SQL reads of what the store recorded.
 */
final class ClusterDatabase implements AutoCloseable {
  private final PostgresTestServer server;
  private final String name;
  private final boolean privateServer;

  private ClusterDatabase(PostgresTestServer server, boolean privateServer) {
    this.server = server;
    this.name = server.createDatabase();
    this.privateServer = privateServer;
  }

  /** A new database on the server every test class of this JVM shares. */
  static ClusterDatabase onSharedServer() {
    return new ClusterDatabase(PostgresTestServer.shared(), false);
  }

  /** A new database on a server of its own, which {@link #stop()} and {@link #start()} control. */
  static ClusterDatabase onPrivateServer() {
    return new ClusterDatabase(PostgresTestServer.startPrivate(), true);
  }

  /** What a node needs to run on this database, as {@code vigil server} reads it. */
  Map<String, String> env() {
    var env = new HashMap<String, String>();
    env.put("VIGIL_STORE", "postgres");
    env.put("VIGIL_POSTGRES_URL", server.url(name));
    env.put("VIGIL_POSTGRES_USER", server.user());
    if (server.password() != null && !server.password().isEmpty()) {
      env.put("VIGIL_POSTGRES_PASSWORD", server.password());
    }
    return env;
  }

  Connection connect() throws SQLException {
    return server.connect(name);
  }

  /** {@code pg_ctl stop -m fast}: connections are cut, committed work stays. */
  void stop() {
    server.stop();
  }

  /** Starts the stopped server again on the same port, and waits until it answers. */
  void start() {
    server.start();
  }

  /** The single number {@code sql} answers. */
  long count(String sql) throws SQLException {
    try (Connection c = connect();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    if (privateServer) {
      server.destroy();
    } else {
      server.dropDatabase(name);
    }
  }

  @Override
  public String toString() {
    return name + " on " + server;
  }
}
