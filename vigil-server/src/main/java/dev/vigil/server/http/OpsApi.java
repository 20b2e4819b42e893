package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.job.JobState;
import dev.vigil.job.LaneStatus;
import dev.vigil.server.http.ServerState.Phase;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Operations: statistics, health and the OpenAPI document. Health answers are plain JSON with a
 * {@code status} word ({@code up}, {@code ready}, {@code starting}, {@code draining}, {@code
 * stopped}, {@code down}); readiness answers 503 whenever the server is not ready for work: while
 * it starts or drains, and while its store does not answer ({@code down}, with {@code
 * checks.store}), as when PostgreSQL restarts.
 */
final class OpsApi {
  static final String OPENAPI_RESOURCE = "openapi.json";

  private final Vigil vigil;
  private final ServerState state;
  private final StoreHealth storeHealth;
  private final byte[] openapi;

  OpsApi(Vigil vigil, ServerState state, StoreHealth storeHealth) {
    this.vigil = vigil;
    this.state = state;
    this.storeHealth = storeHealth;
    this.openapi = openapiDocument();
  }

  /** {@code GET /api/v1/stats}: jobs by state, lanes, waiting claims, uptime. */
  void stats(Context ctx) {
    ObjectNode n = Json.object();
    Json.putTime(n, "started_at", state.startedAt());
    Json.putMillis(n, "uptime_ms", state.uptime());
    n.put("worker_id", vigil.workerId());
    ObjectNode jobs = n.putObject("jobs");
    long total = 0;
    for (Map.Entry<JobState, Long> e : vigil.counts().entrySet()) {
      jobs.put(e.getKey().wireName(), e.getValue());
      total += e.getValue();
    }
    jobs.put("total", total);
    ArrayNode lanes = n.putArray("lanes");
    for (LaneStatus s : vigil.lanes()) {
      ObjectNode l = lanes.addObject();
      l.put("name", s.lane().name());
      l.put("paused", s.lane().paused());
      l.put("scheduled", s.scheduled());
      l.put("ready", s.ready());
      l.put("running", s.running());
      Json.putMillis(l, "oldest_ready_age_ms", s.oldestReadyAge());
    }
    n.putObject("remote_workers").put("waiting_claims", vigil.waitingClaims());
    n.put("events_dropped", vigil.droppedEvents());
    Json.send(ctx, 200, n);
  }

  /** {@code GET /health}: 200 {@code up} while ready, else 503 with the phase, or {@code down}; with the uptime. */
  void health(Context ctx) {
    ObjectNode n = Json.object();
    Phase phase = state.phase();
    boolean storeUp = phase != Phase.READY || storeHealth.check().up();
    n.put("status", !storeUp ? "down" : phase == Phase.READY ? "up" : phase.wireName());
    Json.putMillis(n, "uptime_ms", state.uptime());
    Json.send(ctx, phase == Phase.READY && storeUp ? 200 : 503, n);
  }

  /** {@code GET /health/live}: 200 as long as the process serves HTTP. */
  void live(Context ctx) {
    Json.send(ctx, 200, Json.object().put("status", "up"));
  }

  /**
   * {@code GET /health/ready}: 200 {@code ready}, or 503 {@code starting}/{@code draining}/{@code
   * stopped}, or 503 {@code down} when the store does not answer within a short timeout. While
   * ready the answer carries the store check ({@code checks.store}).
   */
  void ready(Context ctx) {
    Phase phase = state.phase();
    if (phase != Phase.READY) {
      Json.send(ctx, 503, Json.object().put("status", phase.wireName()));
      return;
    }
    StoreHealth.Result store = storeHealth.check();
    ObjectNode n = Json.object().put("status", store.up() ? phase.wireName() : "down");
    n.putObject("checks").set("store", storeCheck(store));
    Json.send(ctx, store.up() ? 200 : 503, n);
  }

  /** {@code GET /health/detailed}: readiness plus a store round trip, with its latency. */
  void detailed(Context ctx) {
    Phase phase = state.phase();
    StoreHealth.Result store = storeHealth.check();
    ObjectNode n = Json.object();
    boolean up = store.up() && phase == Phase.READY;
    n.put("status", !store.up() ? "down" : phase == Phase.READY ? "up" : phase.wireName());
    Json.putMillis(n, "uptime_ms", state.uptime());
    n.putObject("checks").set("store", storeCheck(store));
    Json.send(ctx, up ? 200 : 503, n);
  }

  private static ObjectNode storeCheck(StoreHealth.Result r) {
    ObjectNode store = Json.object();
    store.put("status", r.up() ? "up" : "down");
    store.put("latency_ms", r.latencyMs());
    if (r.reason() != null) {
      store.put("reason", r.reason());
    }
    return store;
  }

  /** {@code GET /api/openapi.json}: this API as OpenAPI 3.1. */
  void openapi(Context ctx) {
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(openapi);
  }

  static byte[] openapiDocument() {
    try (InputStream in = OpsApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
