package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.limits.BreakerStatus;
import dev.vigil.limits.LimitStatus;
import io.javalin.http.Context;

/**
 * What holds jobs back: {@code GET /api/v1/limits} (each key's quota, what is left, and its running
 * and held jobs) and {@code GET /api/v1/breakers} (this node's circuit breakers).
 */
final class LimitsApi {
  private final Vigil vigil;

  LimitsApi(Vigil vigil) {
    this.vigil = vigil;
  }

  /** {@code {"limits":[{"key","rate","window_ms","units","concurrency","available","units_available","running","waiting"}]}}. */
  void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("limits");
    for (LimitStatus s : vigil.limits()) {
      ObjectNode n = list.addObject();
      n.put("key", s.key());
      n.put("rate", s.rate());
      if (s.window() == null) {
        n.putNull("window_ms");
      } else {
        n.put("window_ms", s.window().toMillis());
      }
      n.put("units", s.units());
      n.put("concurrency", s.concurrency());
      n.put("available", s.available());
      n.put("units_available", s.unitsAvailable());
      n.put("running", s.running());
      n.put("waiting", s.waiting());
    }
    Json.send(ctx, 200, body);
  }

  /** {@code {"breakers":[{"key","state","since","failure_ratio","next_probe_at"}]}}, by key. */
  void breakers(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("breakers");
    for (BreakerStatus b : vigil.breakers()) {
      ObjectNode n = list.addObject();
      n.put("key", b.key());
      n.put("state", b.state().wireName());
      Json.putTime(n, "since", b.since());
      n.put("failure_ratio", b.failureRatio());
      Json.putTime(n, "next_probe_at", b.nextProbeAt());
    }
    Json.send(ctx, 200, body);
  }
}
