package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.NotFoundException;
import dev.vigil.observe.alerts.Alert;
import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.alerts.AlertEvent;
import dev.vigil.observe.alerts.AlertRule;
import dev.vigil.observe.alerts.Silence;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code /api/v1/alerts}: the alerts pending and firing, their history, the rules with their
 * health, and silences. Any node answers from the store; rule health is this node's (only the
 * leader evaluates, so a follower's rules show no evaluation). 404 when alerting is off.
 */
final class AlertsApi {
  /** The longest silence. */
  static final Duration MAX_SILENCE = Duration.ofDays(366);

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;
  private static final int MAX_COMMENT = 1_000;
  private static final Set<String> SILENCE_FIELDS = Set.of("rule", "matchers", "duration_ms", "comment");
  private static final Set<String> HISTORY_PARAMS = Set.of("since", "limit", "cursor");

  private final AlertEngine engine;
  private final JsonBodies bodies;
  private final InstantSource clock;

  /** @param engine the alert engine, or null when alerting is off (404) */
  AlertsApi(AlertEngine engine, JsonBodies bodies, InstantSource clock) {
    this.engine = engine;
    this.bodies = bodies;
    this.clock = clock;
  }

  /** {@code GET /api/v1/alerts}: firing first, then pending, each oldest first. */
  void list(Context ctx) {
    Map<String, String> severities = new TreeMap<>();
    engine().rules().forEach(r -> severities.put(r.name(), r.severity()));
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("alerts");
    engine().alerts().stream()
        .sorted(Comparator.comparing((Alert a) -> a.state().wireName()).thenComparing(Alert::activeSince))
        .forEach(a -> {
          ObjectNode n = list.addObject();
          n.put("rule", a.rule());
          n.put("state", a.state().wireName());
          n.put("severity", a.labels().getOrDefault("severity", severities.get(a.rule())));
          strings(n.putObject("labels"), a.labels());
          strings(n.putObject("annotations"), a.annotations());
          n.put("value", a.value());
          Json.putTime(n, "active_since", a.activeSince());
          Json.putTime(n, "firing_since", a.firingSince());
        });
    Json.send(ctx, 200, body);
  }

  /** {@code GET /api/v1/alerts/history?since=&limit=&cursor=}: transitions to firing and resolved, newest first. */
  void history(Context ctx) {
    var params = ctx.queryParamMap();
    var errors = new ArrayList<FieldError>();
    params.keySet().stream().filter(p -> !HISTORY_PARAMS.contains(p)).sorted()
        .forEach(p -> errors.add(new FieldError(p, "unknown query parameter")));
    Instant since = QueryParams.time(params, "since", clock.instant(), errors).orElse(Instant.EPOCH);
    int limit = QueryParams.limit(params, DEFAULT_LIMIT, MAX_LIMIT, errors);
    Optional<Long> before = Optional.empty();
    String cursor = QueryParams.single(params, "cursor");
    if (cursor != null) {
      try {
        before = Optional.of(Long.parseLong(cursor.strip()));
      } catch (NumberFormatException e) {
        errors.add(new FieldError("cursor", "must be a next_cursor this route gave"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    List<AlertEvent> events = engine().store().history(since, limit + 1, before);
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("events");
    events.stream().limit(limit).forEach(e -> {
      ObjectNode n = list.addObject();
      n.put("rule", e.rule());
      strings(n.putObject("labels"), e.labels());
      n.put("state", e.state().wireName());
      Json.putTime(n, "at", e.at());
      n.put("value", e.value());
      n.put("duration_ms", e.durationMs());
    });
    body.put("next_cursor", events.size() > limit ? Long.toString(events.get(limit - 1).id()) : null);
    Json.send(ctx, 200, body);
  }

  /** {@code GET /api/v1/alerts/rules}: every rule running, with this node's view of its health. */
  void rules(Context ctx) {
    AlertEngine e = engine();
    Map<String, AlertEngine.RuleHealth> health = e.health();
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("rules");
    for (AlertRule r : e.rules()) {
      AlertEngine.RuleHealth h = health.get(r.name());
      ObjectNode n = list.addObject();
      n.put("name", r.name());
      n.put("kind", r.condition().kind());
      n.put("expr", r.condition().expr());
      n.put("for_ms", r.forDuration().toMillis());
      n.put("severity", r.severity());
      n.put("health", h == null || h.ok() ? "ok" : "error");
      n.put("last_error", h == null ? null : h.lastError());
      Json.putTime(n, "last_evaluation", h == null ? null : h.lastEvaluation());
    }
    body.put("config_error", e.configError());
    Json.send(ctx, 200, body);
  }

  /** {@code GET /api/v1/alerts/silences}: the silences that have not ended, soonest to end first. */
  void silences(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("silences");
    engine().store().silences(clock.instant()).stream().sorted(Comparator.comparing(Silence::endsAt))
        .forEach(s -> list.add(silence(s)));
    Json.send(ctx, 200, body);
  }

  /** {@code POST /api/v1/alerts/silences} {@code {"rule","matchers","duration_ms","comment"}}: 201 {@code {"id","ends_at"}}. */
  void silence(Context ctx) {
    AlertEngine e = engine();
    Fields f = Fields.of(bodies.object(ctx), "", SILENCE_FIELDS);
    String rule = f.text("rule");
    ObjectNode matchersNode = f.object("matchers");
    Long durationMs = f.integer("duration_ms");
    String comment = f.text("comment");
    Map<String, String> matchers = new TreeMap<>();
    if (matchersNode != null) {
      matchersNode.properties().forEach(m -> {
        if (!m.getValue().isTextual()) {
          f.error("matchers." + m.getKey(), "must be a string");
        } else if (!AlertRule.NAME.matcher(m.getKey()).matches()) {
          f.error("matchers", "'" + shorten(m.getKey()) + "' is not a label name");
        } else {
          matchers.put(m.getKey(), m.getValue().asText());
        }
      });
    }
    if (rule != null && e.rules().stream().noneMatch(r -> r.name().equals(rule))) {
      f.error("rule", "must name a rule that runs (see GET /api/v1/alerts/rules)");
    }
    f.check(rule != null || !matchers.isEmpty(), "rule", "a silence names a rule, label matchers, or both");
    f.check(durationMs != null, "duration_ms", "is required");
    f.check(durationMs == null || durationMs >= 1_000 && durationMs <= MAX_SILENCE.toMillis(), "duration_ms",
        "must be 1000 to " + MAX_SILENCE.toMillis() + " (a year)");
    f.check(comment == null || comment.length() <= MAX_COMMENT, "comment", "must be at most " + MAX_COMMENT + " characters");
    f.done();
    Instant now = clock.instant();
    Silence s = new Silence(UUID.randomUUID().toString(), rule, matchers, now, now.plusMillis(durationMs), comment);
    e.store().addSilence(s);
    ObjectNode body = Json.object();
    body.put("id", s.id());
    Json.putTime(body, "ends_at", s.endsAt());
    Json.send(ctx, 201, body);
  }

  /** {@code DELETE /api/v1/alerts/silences/{id}}: ends it now; 204, or 404 when no such silence runs. */
  void unsilence(Context ctx) {
    String id = ctx.pathParam("id");
    if (!engine().store().expireSilence(id, clock.instant())) {
      throw new NotFoundException("silence", id);
    }
    ctx.status(204);
  }

  private static ObjectNode silence(Silence s) {
    ObjectNode n = Json.object();
    n.put("id", s.id());
    n.put("rule", s.rule());
    strings(n.putObject("matchers"), s.matchers());
    Json.putTime(n, "starts_at", s.startsAt());
    Json.putTime(n, "ends_at", s.endsAt());
    n.put("comment", s.comment());
    return n;
  }

  private static void strings(ObjectNode into, Map<String, String> values) {
    new TreeMap<>(values).forEach(into::put);
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private AlertEngine engine() {
    if (engine == null) {
      throw Problem.of(404, "not-found", "Not Found", "alerting is switched off (alerts.enabled: false)").toException();
    }
    return engine;
  }
}
