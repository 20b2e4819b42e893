package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.job.JobState;
import dev.vigil.job.LaneStatus;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Operations: statistics and the OpenAPI document. Health is {@link HealthApi}'s. */
final class OpsApi {
  static final String OPENAPI_RESOURCE = "openapi.json";

  private final Vigil vigil;
  private final ServerState state;
  private final byte[] openapi;

  OpsApi(Vigil vigil, ServerState state) {
    this.vigil = vigil;
    this.state = state;
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
    n.putObject("remote_workers").put("waiting_claims", vigil.waitingClaims()).put("fleet_slots", vigil.fleetSlots());
    n.put("events_dropped", vigil.droppedEvents());
    Json.send(ctx, 200, n);
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
