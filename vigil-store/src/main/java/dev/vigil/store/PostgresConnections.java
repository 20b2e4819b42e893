package dev.vigil.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens what a {@link PostgresJobStore} talks to: the migrated schema, the HikariCP pool and the
 * dedicated {@code LISTEN} connection, all with the same driver properties.
 *
 * <p>Every connection carries the statement timeout as a startup option ({@code options=-c
 * statement_timeout=...}), so it holds for every statement on it, pooled or not, with no extra
 * round trip; a socket timeout a little longer than it bounds a call on a connection whose server
 * went silent. {@code logServerErrorDetail=false} keeps row values (a unique key, say) out of
 * exception messages and therefore out of logs.
 */
final class PostgresConnections {
  private static final String MIGRATIONS = "classpath:db/migration/postgres";

  /** How much longer than the statement timeout the client waits for a silent server. */
  private static final Duration SOCKET_SLACK = Duration.ofSeconds(10);

  private static final int MIGRATION_ATTEMPTS = 3;

  private PostgresConnections() {}

  /** The driver properties every connection of the store uses. */
  static Properties driverProperties(PostgresJobStore.Builder b) {
    Properties p = new Properties();
    if (b.user != null) {
      p.setProperty("user", b.user);
    }
    if (b.password != null) {
      p.setProperty("password", b.password);
    }
    p.setProperty("options", "-c statement_timeout=" + b.statementTimeout.toMillis());
    p.setProperty("socketTimeout", Long.toString(seconds(b.statementTimeout.plus(SOCKET_SLACK))));
    p.setProperty("connectTimeout", Long.toString(seconds(b.connectionTimeout)));
    p.setProperty("loginTimeout", Long.toString(seconds(b.connectionTimeout)));
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "vigil");
    p.setProperty("logServerErrorDetail", "false");
    p.setProperty("currentSchema", b.schema);
    return p;
  }

  /** The pool: a fixed number of connections, each validated by the driver before reuse. */
  static HikariDataSource pool(PostgresJobStore.Builder b) {
    return pool(b, "vigil-pg", b.poolSize, b.poolSize); // hikaricp_connections_* {pool="vigil-pg"}
  }

  /** Connections of the quota pool (see {@link PostgresQuotaBuckets}). */
  static final int QUOTA_POOL_SIZE = 4;

  /**
   * The pool of the shared quotas' draws, apart from the main pool so that a claim holding a main
   * connection never waits for another one of the same pool. Opened when the engine starts with
   * limits; at most {@link #QUOTA_POOL_SIZE} connections, one kept open.
   */
  static HikariDataSource quotaPool(PostgresJobStore.Builder b) {
    return pool(b, "vigil-pg-quota", QUOTA_POOL_SIZE, 1);
  }

  private static HikariDataSource pool(PostgresJobStore.Builder b, String name, int size, int minIdle) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(b.url);
    config.setDataSourceProperties(driverProperties(b));
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(Math.max(250, b.connectionTimeout.toMillis()));
    config.setValidationTimeout(Math.max(250, Math.min(5_000, b.connectionTimeout.toMillis())));
    if (b.meterRegistry != null) {
      config.setMetricRegistry(b.meterRegistry);
    }
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Brings the schema up to date, on connections of its own to {@link
   * PostgresJobStore.Builder#listenUrl} (straight to PostgreSQL: Flyway's lock is session-scoped)
   * and without the statement timeout (a migration of a large table may take longer). Flyway
   * serialises concurrent migrations of one schema with a PostgreSQL advisory lock, so several
   * nodes may start at once; a node that loses a race to create the schema itself tries again.
   */
  static void migrate(PostgresJobStore.Builder b) {
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(b.listenUrl());
    if (b.user != null) {
      direct.setUser(b.user);
    }
    if (b.password != null) {
      direct.setPassword(b.password);
    }
    direct.setConnectTimeout((int) seconds(b.connectionTimeout));
    direct.setTcpKeepAlive(true);
    direct.setApplicationName("vigil-migrate");
    direct.setLogServerErrorDetail(false);
    for (int attempt = 1; ; attempt++) {
      try {
        Flyway.configure()
            .dataSource(direct)
            .locations(MIGRATIONS)
            .schemas(b.schema)
            .defaultSchema(b.schema)
            .load()
            .migrate();
        return;
      } catch (FlywayException e) {
        if (attempt == MIGRATION_ATTEMPTS) {
          throw new StoreException("cannot migrate the PostgreSQL schema: " + e.getMessage(), e);
        }
      }
    }
  }

  /** A connection of its own for {@code LISTEN}, outside the pool. */
  static Connection listenConnection(PostgresJobStore.Builder b) throws SQLException {
    Properties p = driverProperties(b);
    p.setProperty("ApplicationName", "vigil-listen");
    return DriverManager.getConnection(b.listenUrl(), p);
  }

  private static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
