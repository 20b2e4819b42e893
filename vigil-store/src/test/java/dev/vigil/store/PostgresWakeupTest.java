package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wake-ups across nodes: two stores on one database stand for two nodes. What one commits must
 * reach the other's ready listeners through LISTEN/NOTIFY, long before the engine's one-second
 * safety poll would find it; the waits below allow far more (5 s) so that a slow machine never
 * fails them, and still prove that the notification, not a poll, carried the lane (the stores
 * have no poll).
 */
class PostgresWakeupTest {
  /** Far beyond the wake-up latency; the point is that it arrives at all, without a poll. */
  private static final Duration ARRIVES = Duration.ofSeconds(5);

  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;
  private PostgresJobStore nodeA;
  private PostgresJobStore nodeB;
  private final List<String> heardByB = new CopyOnWriteArrayList<>();

  @BeforeEach
  void openTwoNodes() {
    database = server.createDatabase();
    nodeA = server.store(database).poolSize(2).build();
    nodeB = server.store(database).poolSize(2).build();
    nodeB.addReadyListener(heardByB::add);
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
    server.dropDatabase(database);
  }

  @Test
  void a_job_enqueued_on_one_node_wakes_the_listeners_of_the_other_with_its_lane() {
    nodeA.enqueue(List.of(TestJobs.ready("social")));

    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("social"));
    assertThat(heardByB).containsOnly("social");
  }

  @Test
  void a_scheduled_job_wakes_no_one_until_another_node_promotes_it() {
    NewJob later = TestJobs.job().lane("sensory").scheduledAt(TestJobs.T0.plusSeconds(60)).build();
    nodeA.enqueue(List.of(later));
    nodeA.enqueue(List.of(TestJobs.ready("background")));
    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("background"));
    assertThat(heardByB).doesNotContain("sensory");

    assertThat(nodeA.promoteDue(TestJobs.T0.plusSeconds(60), 10)).hasSize(1);

    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("sensory"));
  }

  @Test
  void resuming_a_lane_and_giving_a_lease_back_on_one_node_wake_the_other() {
    nodeA.setLanePaused("cognition", true);
    nodeA.setLanePaused("cognition", false);
    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("cognition"));

    nodeA.enqueue(List.of(TestJobs.ready("social")));
    Job running = nodeA.claim(TestJobs.claim("social", 1)).getFirst();
    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("social"));
    heardByB.clear();
    nodeA.finish(
        new Finish(
            running.id(), running.leaseToken(), AttemptOutcome.LEASE_EXPIRED, JobState.READY,
            null, null, null, TestJobs.T0));

    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("social"));
  }

  @Test
  void the_listening_connection_comes_back_after_its_backend_is_terminated_and_hears_again()
      throws Exception {
    nodeA.enqueue(List.of(TestJobs.ready("cognition")));
    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("cognition"));
    heardByB.clear();
    int pid = nodeB.listenerBackendPid();

    try (Connection admin = server.connect(database);
        PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
      kill.setInt(1, pid);
      try (ResultSet rs = kill.executeQuery()) {
        assertThat(rs.next() && rs.getBoolean(1)).as("the LISTEN backend was terminated").isTrue();
      }
    }

    await().atMost(ARRIVES).until(() -> nodeB.listenerReconnections() >= 1);
    assertThat(nodeB.listenerBackendPid()).isNotEqualTo(pid);
    await()
        .atMost(ARRIVES)
        .untilAsserted(
            () ->
                assertThat(heardByB)
                    .as("after reconnecting, every lane that may hold ready work is told")
                    .contains("cognition"));
    nodeA.enqueue(List.of(TestJobs.ready("sensory")));
    await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("sensory"));
  }

  @Test
  void stores_in_different_schemas_of_one_database_do_not_wake_each_other() {
    List<String> heardInOther = new CopyOnWriteArrayList<>();
    try (PostgresJobStore other = server.store(database).schema("tenant_b").poolSize(2).build()) {
      other.addReadyListener(heardInOther::add);
      assertThat(other.channel()).isEqualTo("vigil_ready_tenant_b");

      other.enqueue(List.of(TestJobs.ready("cognition")));
      nodeA.enqueue(List.of(TestJobs.ready("social")));

      // Notifications reach a listener in commit order: had the other schema's come to B, it
      // would have come before this one.
      await().atMost(ARRIVES).untilAsserted(() -> assertThat(heardByB).contains("social"));
      assertThat(heardByB).doesNotContain("cognition");
      assertThat(heardInOther).containsOnly("cognition");
    }
  }
}
