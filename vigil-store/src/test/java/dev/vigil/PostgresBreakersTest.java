package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.job.WorkerClaim;
import dev.vigil.limits.BreakerState;
import dev.vigil.store.JobStore;
import dev.vigil.store.PostgresTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link BreakersContract} on PostgreSQL, and what only a shared store shows: the jobs one node's
 * open breaker holds are out of every node's reach, though the other node's own breaker is closed.
 */
class PostgresBreakersTest extends BreakersContract {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private final List<String> databases = new ArrayList<>();

  @Override
  JobStore newStore() {
    String database = server.createDatabase();
    databases.add(database);
    return server.store(database).poolSize(4).build();
  }

  @Override
  void dispose() {
    databases.forEach(server::dropDatabase);
  }

  @Test
  void a_second_node_leaves_alone_the_jobs_the_first_nodes_open_breaker_holds() throws InterruptedException {
    start(List.of());
    List<Job> calls = openTheCallBreaker();
    claim(25, Set.of()); // node A meets the ready call jobs: its breaker holds them in the store
    try (Vigil b = Vigil.builder()
        .store(server.store(databases.getLast()).poolSize(2).build())
        .workerId("node-b")
        .clock(clock)
        .lanes(lanes())
        .maintenanceInterval(Duration.ofHours(1))
        .shutdownGrace(Duration.ZERO)
        .start()) {
      List<Job> taken = b.claim(new WorkerClaim("go-1", List.of(), Set.of(), 25, Duration.ZERO, Duration.ofMinutes(5)));

      assertThat(taken).as("node B's own breaker is closed, but the holds are in the store").isEmpty();
      assertThat(b.breakers()).isEmpty();
      long held = calls.stream().map(j -> vigil.get(j.id()).orElseThrow())
          .filter(j -> j.state() == JobState.READY && j.hold() != null).count();
      assertThat(held).isEqualTo(10);
      assertThat(breaker("type:call").state()).isEqualTo(BreakerState.OPEN);
    }
  }
}
