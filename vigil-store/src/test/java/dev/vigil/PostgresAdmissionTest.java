package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.JobRejectedException.Reason;
import dev.vigil.job.JobRequest;
import dev.vigil.job.Lane;
import dev.vigil.store.JobStore;
import dev.vigil.store.PostgresTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AdmissionScenarios} on PostgreSQL, and what only a shared store shows: a second node
 * sharing the database refuses by the same rules once it has read the lanes, whoever enqueued.
 */
class PostgresAdmissionTest extends AdmissionScenarios {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private final List<String> databases = new ArrayList<>();
  private String database;

  @Override
  JobStore newStore() {
    database = server.createDatabase();
    databases.add(database);
    return server.store(database).poolSize(2).build();
  }

  @AfterEach
  void dropDatabases() {
    closeEngine();
    vigil = null;
    databases.forEach(server::dropDatabase);
  }

  private Vigil secondNode(Lane... lanes) {
    Vigil.Builder b =
        Vigil.builder()
            .store(server.store(database).poolSize(2).build())
            .workerId("node-b")
            .clock(clock)
            .maintenanceInterval(Duration.ofHours(1))
            .shutdownGrace(Duration.ZERO);
    for (Lane lane : lanes) {
      b.lane(lane);
    }
    return b.start();
  }

  @Test
  void a_second_node_refuses_a_lane_that_the_first_filled_to_max_ready() {
    Lane background = lane("background").withMaxReady(5);
    start(background);
    vigil.enqueueAll(jobs("background", 5));

    try (Vigil b = secondNode(background)) {
      JobRejectedException e =
          catchThrowableOfType(JobRejectedException.class, () -> b.enqueue(JobRequest.builder("work").lane("background").build()));

      assertThat(e.reason()).isEqualTo(Reason.LANE_FULL);
      assertThat(stored("background")).isEqualTo(5);
    }
  }

  @Test
  void a_second_node_sees_the_overload_of_the_backlog_the_first_enqueued() {
    Lane background = lane("background").withCapacity(20);
    start(background);
    try (Vigil b = secondNode(background)) {
      vigil.enqueueAll(jobs("background", 20));
      b.runDueNow();

      JobRejectedException e =
          catchThrowableOfType(JobRejectedException.class, () -> b.enqueue(JobRequest.builder("work").lane("background").build()));

      assertThat(e.reason()).isEqualTo(Reason.OVERLOADED);
      assertThat(b.enqueue(JobRequest.builder("chat").lane("cognition").build()).lane()).isEqualTo("cognition");
      assertThat(stored("background")).isEqualTo(20);
    }
  }
}
