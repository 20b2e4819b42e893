package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The node registry and the leader's term: what lets several nodes share one store. */
public abstract class NodeContract extends ContractSupport {
  private static final Duration TERM = Duration.ofSeconds(15);

  protected NodeContract(JobStoreContract kit) {
    super(kit);
  }

  private NodeRecord node(String id, Instant heartbeat, int running) {
    return new NodeRecord(id, "host-" + id, "1.2.3", now().minusSeconds(60), heartbeat, running);
  }

  @Test
  void heartbeats_register_a_node_and_then_update_it() {
    store().heartbeatNode(node("b", now(), 1));
    store().heartbeatNode(node("a", now(), 0));
    advance(Duration.ofSeconds(5));
    store().heartbeatNode(node("b", now(), 7));

    assertThat(store().nodes()).extracting(NodeRecord::id).containsExactly("a", "b");
    NodeRecord b = store().nodes().get(1);
    assertThat(b.lastHeartbeat()).isEqualTo(now());
    assertThat(b.runningJobs()).isEqualTo(7);
    assertThat(b.host()).isEqualTo("host-b");
    assertThat(b.version()).isEqualTo("1.2.3");
  }

  @Test
  void the_first_node_leads_renews_its_term_and_keeps_others_out_until_the_term_ends() {
    assertThat(store().tryLead("a", now(), TERM)).isTrue();
    assertThat(store().tryLead("b", now(), TERM)).isFalse();

    advance(Duration.ofSeconds(10));
    assertThat(store().tryLead("a", now(), TERM)).as("renewal").isTrue();
    advance(Duration.ofSeconds(10));
    assertThat(store().tryLead("b", now(), TERM)).as("a's renewed term still runs").isFalse();

    advance(Duration.ofSeconds(6));
    assertThat(store().tryLead("b", now(), TERM)).as("a stopped renewing").isTrue();
    assertThat(store().tryLead("a", now(), TERM)).isFalse();
  }

  @Test
  void nodes_racing_for_leadership_elect_exactly_one() throws Exception {
    var pool = Executors.newFixedThreadPool(8);
    try {
      var tries = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 8; i++) {
        String id = "node-" + i;
        tries.add(() -> store().tryLead(id, now(), TERM));
      }
      long winners = 0;
      for (Future<Boolean> f : pool.invokeAll(tries)) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void leadership_survives_a_restart_of_the_store() {
    assertThat(store().tryLead("a", now(), TERM)).isTrue();
    kit().reopenStore();
    assertThat(store().tryLead("b", now(), TERM)).isFalse();
    assertThat(store().tryLead("a", now(), TERM)).isTrue();
  }
}
