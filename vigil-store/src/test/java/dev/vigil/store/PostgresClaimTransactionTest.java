package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claim over several lanes on PostgreSQL leases every lane's jobs or none: when a later lane
 * fails (here its cap's lock is held elsewhere past the statement timeout), the jobs of the
 * earlier lanes are not left leased to a claimer that never hears of them.
 */
class PostgresClaimTransactionTest {
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String database;
  private PostgresJobStore store;

  @BeforeEach
  void open() {
    database = server.createDatabase();
    store = server.store(database).statementTimeout(Duration.ofMillis(500)).build();
  }

  @AfterEach
  void close() {
    store.close();
    server.dropDatabase(database);
  }

  @Test
  void a_claim_whose_later_lane_fails_leases_nothing_in_the_earlier_lanes() throws Exception {
    List<Job> chats = store.enqueue(List.of(TestJobs.ready("cognition"), TestJobs.ready("cognition")));
    store.enqueue(List.of(TestJobs.ready("background")));
    var request =
        new ClaimRequest(
            "worker-1",
            List.of(new ClaimRequest.LaneQuota("cognition", 2, Integer.MAX_VALUE), new ClaimRequest.LaneQuota("background", 1, 3)),
            Set.of(),
            Duration.ofSeconds(30),
            Instant.now());

    try (Connection other = server.connect(database)) {
      other.setAutoCommit(false);
      try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, PostgresClaims.laneLockKey("public", "background"));
        lock.execute();
      }

      assertThatThrownBy(() -> store.claim(request)).isInstanceOf(StoreException.class);
      other.rollback();
    }

    for (Job chat : chats) {
      Job after = store.get(chat.id()).orElseThrow();
      assertThat(after.state()).as("chat job %s", chat.id()).isEqualTo(JobState.READY);
      assertThat(after.attempt()).isZero();
      assertThat(after.leaseToken()).isNull();
    }
    assertThat(store.claim(request)).as("the same claim once the lock is free").hasSize(3);
  }
}
