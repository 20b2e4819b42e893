package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.NotFoundException;
import dev.vigil.Vigil;
import dev.vigil.job.Backpressure;
import dev.vigil.job.Lane;
import dev.vigil.job.LaneStatus;
import io.javalin.http.Context;

/** Lists lanes with their depth and backpressure; pauses and resumes them. */
final class LanesApi {
  private final Vigil vigil;

  LanesApi(Vigil vigil) {
    this.vigil = vigil;
  }

  /** {@code GET /api/v1/lanes}: every lane in priority order, as a JSON array. */
  void list(Context ctx) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    vigil.lanes().forEach(s -> out.add(lane(s)));
    Json.send(ctx, 200, out);
  }

  /** {@code POST /api/v1/lanes/{name}/pause}: the lane keeps accepting jobs but starts none. */
  void pause(Context ctx) {
    String name = ctx.pathParam("name");
    vigil.pause(name);
    Json.send(ctx, 200, lane(status(name)));
  }

  /** {@code POST /api/v1/lanes/{name}/resume}. */
  void resume(Context ctx) {
    String name = ctx.pathParam("name");
    vigil.resume(name);
    Json.send(ctx, 200, lane(status(name)));
  }

  private LaneStatus status(String name) {
    return vigil.lanes().stream()
        .filter(s -> s.lane().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("lane", name));
  }

  /** A lane as the API shows it; an unlimited {@code max_concurrency} or {@code max_ready} is null. */
  static ObjectNode lane(LaneStatus s) {
    Lane lane = s.lane();
    ObjectNode n = Json.object();
    n.put("name", lane.name());
    n.put("weight", lane.weight());
    if (lane.maxConcurrency() == Lane.UNLIMITED) {
      n.putNull("max_concurrency");
    } else {
      n.put("max_concurrency", lane.maxConcurrency());
    }
    n.put("reserved", lane.reserved());
    n.put("capacity", lane.capacity());
    n.put("paused", lane.paused());
    Json.putMillis(n, "target_wait_ms", lane.targetWait());
    if (lane.maxReady() == Lane.UNLIMITED) {
      n.putNull("max_ready");
    } else {
      n.put("max_ready", lane.maxReady());
    }
    n.put("protected", lane.isProtected());
    ObjectNode depth = n.putObject("depth");
    depth.put("scheduled", s.scheduled());
    depth.put("ready", s.ready());
    depth.put("running", s.running());
    Json.putMillis(n, "oldest_ready_age_ms", s.oldestReadyAge());
    n.set("backpressure", backpressure(s.backpressure()));
    return n;
  }

  private static ObjectNode backpressure(Backpressure b) {
    ObjectNode n = Json.object();
    n.put("level", b.level().value());
    n.put("state", b.level().wireName());
    n.put("reason", b.reason());
    return n;
  }
}
