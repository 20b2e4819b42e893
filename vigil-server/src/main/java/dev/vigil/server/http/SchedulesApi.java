package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.NotFoundException;
import dev.vigil.Vigil;
import dev.vigil.job.JobRequest;
import dev.vigil.job.Schedule;
import dev.vigil.store.ScheduleUpsert;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/** Creates, replaces, lists, reads and deletes recurring jobs. */
final class SchedulesApi {
  private static final Set<String> FIELDS = Set.of("name", "cron", "timezone", "job");

  private final Vigil vigil;
  private final JsonBodies bodies;
  private final JobRequests requests;

  SchedulesApi(Vigil vigil, JsonBodies bodies, JobRequests requests) {
    this.vigil = vigil;
    this.bodies = bodies;
    this.requests = requests;
  }

  /** {@code POST /api/v1/schedules}: 201 when new, 200 when it replaced one of the same name. */
  void upsert(Context ctx) {
    Fields f = Fields.of(bodies.object(ctx), "", FIELDS);
    String name = f.requiredText("name");
    String cron = f.requiredText("cron");
    String timezone = f.text("timezone");
    JsonNode job = f.object("job");
    f.check(f.value("job") != null, "job", "is required");
    ZoneId zone = zone(timezone, f);
    f.done();
    JobRequest request = requests.read(job, "job.");
    ScheduleUpsert result = vigil.schedule(name, cron, zone, request);
    Json.send(ctx, result.created() ? 201 : 200, schedule(result.schedule()));
  }

  /** {@code GET /api/v1/schedules}. */
  void list(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("schedules");
    vigil.schedules().forEach(s -> list.add(schedule(s)));
    Json.send(ctx, 200, out);
  }

  /** {@code GET /api/v1/schedules/{name}}. */
  void get(Context ctx) {
    String name = ctx.pathParam("name");
    Schedule s = vigil.schedule(name).orElseThrow(() -> new NotFoundException("schedule", name));
    Json.send(ctx, 200, schedule(s));
  }

  /** {@code DELETE /api/v1/schedules/{name}}: 204; jobs it already fired are not touched. */
  void delete(Context ctx) {
    String name = ctx.pathParam("name");
    if (!vigil.unschedule(name)) {
      throw new NotFoundException("schedule", name);
    }
    ctx.status(204);
  }

  private static ZoneId zone(String timezone, Fields f) {
    if (timezone == null) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(timezone);
    } catch (DateTimeException e) {
      f.error("timezone", "unknown time zone '" + timezone + "'");
      return null;
    }
  }

  private static ObjectNode schedule(Schedule s) {
    ObjectNode n = Json.object();
    n.put("name", s.name());
    n.put("cron", s.cron());
    n.put("syntax", s.syntax().name().toLowerCase(Locale.ROOT));
    n.put("timezone", s.timezone().getId());
    Json.putRaw(n, "job", s.jobJson());
    Json.putTime(n, "next_fire_at", s.nextFireAt());
    Json.putTime(n, "last_fired_at", s.lastFiredAt());
    Json.putTime(n, "created_at", s.createdAt());
    Json.putTime(n, "updated_at", s.updatedAt());
    return n;
  }
}
