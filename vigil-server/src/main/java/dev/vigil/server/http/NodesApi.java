package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.store.NodeRecord;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The nodes sharing this server's store, as they last heartbeated. A node heartbeats every 5 s;
 * one silent for {@link #GONE_AFTER} (three heartbeats) is {@code gone}: it stopped, crashed or
 * lost the store. Only the answering node can say whether it leads (the store keeps the term, not
 * a readable leader), so {@code leader} is true at most for the node that answers.
 */
final class NodesApi {
  /** Three heartbeat intervals of the engine. */
  static final Duration GONE_AFTER = Duration.ofSeconds(15);

  private final Vigil vigil;
  private final InstantSource clock;

  NodesApi(Vigil vigil, InstantSource clock) {
    this.vigil = vigil;
    this.clock = clock;
  }

  /** {@code GET /api/v1/nodes}: {@code {"nodes":[...]}} by id. */
  void list(Context ctx) {
    Instant now = clock.instant();
    boolean leading = vigil.isLeader();
    ObjectNode body = Json.object();
    ArrayNode nodes = body.putArray("nodes");
    for (NodeRecord r : vigil.nodes()) {
      ObjectNode n = nodes.addObject();
      n.put("id", r.id());
      n.put("host", r.host());
      n.put("version", r.version());
      Json.putTime(n, "started_at", r.startedAt());
      Json.putTime(n, "last_heartbeat", r.lastHeartbeat());
      n.put("running_jobs", r.runningJobs());
      n.put("status", status(r, now));
      n.put("leader", leading && r.id().equals(vigil.workerId()));
    }
    Json.send(ctx, 200, body);
  }

  /** {@code alive}, or {@code gone} when the last heartbeat is older than {@link #GONE_AFTER}. */
  static String status(NodeRecord r, Instant now) {
    return r.lastHeartbeat().isBefore(now.minus(GONE_AFTER)) ? "gone" : "alive";
  }
}
