package dev.vigil.bench;

import dev.vigil.store.PostgresJobStore;
import dev.vigil.store.PostgresTestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL that {@code ./vigil bench --store postgres} runs on: the one a URL names ({@code
 * --postgres-url} or {@code VIGIL_BENCH_POSTGRES_URL}), or else a private PostgreSQL 15+ started
 * the way the store's tests start theirs ({@link PostgresTestServer}), deleted when the run ends.
 * Every engine run gets its own schema, dropped at the end.
 */
final class PostgresTarget implements AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private final PostgresTestServer server;
  private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final List<String> schemas = new ArrayList<>();

  private PostgresTarget(String url, String user, String password, PostgresTestServer server) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.server = server;
  }

  /** The given server, or a private one when {@code url} is null or blank. */
  static PostgresTarget open(String url, String user, String password) {
    if (url != null && !url.isBlank()) {
      return new PostgresTarget(url.strip(), user, password, null);
    }
    PostgresTestServer server = PostgresTestServer.startPrivate();
    String db = server.createDatabase();
    return new PostgresTarget(server.url(db), server.user(), server.password(), server);
  }

  /** What the report says about the server. */
  String describe() {
    String version;
    try (Connection c = connect();
        var rs = c.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      version = rs.getString(1);
    } catch (SQLException e) {
      version = "unknown";
    }
    return "PostgreSQL "
        + version
        + (server != null
            ? " (private server started by the harness, initdb defaults, on this machine)"
            : " at " + url.replaceAll("\\?.*", ""));
  }

  /** A new schema name for one engine run ({@code prefix} lower case), dropped on close. */
  String newSchema(String prefix) {
    String name = "bench_" + prefix + "_" + runId;
    schemas.add(name);
    return name;
  }

  /** A Vigil store builder on {@code schema}. */
  PostgresJobStore.Builder store(String schema) {
    return PostgresJobStore.builder(url).user(user).password(password).schema(schema);
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  void execute(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  @Override
  public void close() {
    for (String s : schemas) {
      try {
        execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
      } catch (SQLException e) {
        // best effort: a private server is deleted anyway
      }
    }
    if (server != null) {
      server.destroy();
    }
  }
}
