package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store's connection pool records HikariCP's meters when given a registry. */
class PostgresPoolMetersTest {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private final String database = server.createDatabase();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private PostgresJobStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    server.dropDatabase(database);
  }

  @Test
  void the_pool_reports_its_connections_by_pool_name() {
    store = server.store(database).poolSize(3).meterRegistry(registry).build();
    store.enqueue(List.of(TestJobs.ready("social")));

    assertThat(registry.find("hikaricp.connections.max").tag("pool", "vigil-pg").gauge().value()).isEqualTo(3);
    assertThat(registry.find("hikaricp.connections").tag("pool", "vigil-pg").gauge()).isNotNull();
    assertThat(registry.find("hikaricp.connections.usage").tag("pool", "vigil-pg").timer().count()).isPositive();
  }
}
