package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.NotFoundException;
import dev.vigil.observe.errors.ErrorGroup;
import dev.vigil.observe.errors.ErrorGroupPage;
import dev.vigil.observe.errors.ErrorGroups;
import dev.vigil.observe.errors.ErrorOccurrence;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Error groups: list, read with their last attempts, resolve, ignore, unresolve. Who changed a
 * group is the body's {@code by}, else the {@code X-Vigil-Actor} header, else {@value
 * #DEFAULT_ACTOR} (the API token's name: there is one token and no users yet).
 */
final class ErrorsApi {
  /** Who changed a group when the request does not say. */
  static final String DEFAULT_ACTOR = "api";

  static final String ACTOR_HEADER = "X-Vigil-Actor";

  /** A name: letters, digits, spaces and {@code . _ : -}, 1 to 64 of them; no {@code @}, so no e-mail address. */
  private static final Pattern ACTOR = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:-]{0,63}");

  private static final Set<String> CHANGE = Set.of("by");

  private final ErrorGroups errors;
  private final JsonBodies bodies;
  private final InstantSource clock;

  ErrorsApi(ErrorGroups errors, JsonBodies bodies, InstantSource clock) {
    this.errors = errors;
    this.bodies = bodies;
    this.clock = clock;
  }

  /** {@code GET /api/v1/errors?…}: a page of groups, newest first. */
  void list(Context ctx) {
    ErrorGroupPage page = groups().find(ErrorListQuery.parse(ctx.queryParamMap(), clock.instant()));
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("groups");
    page.groups().forEach(g -> list.add(ErrorGroupJson.group(g)));
    out.put("next_cursor", page.nextCursor());
    Json.send(ctx, 200, out);
  }

  /** {@code GET /api/v1/errors/{id}}: the group with its last attempts, newest first. */
  void get(Context ctx) {
    String id = ctx.pathParam("id");
    ErrorGroup group = groups().get(id).orElseThrow(() -> notFound(id));
    Json.send(ctx, 200, ErrorGroupJson.detail(group, groups().occurrences(id, ErrorOccurrence.KEPT)));
  }

  /** {@code POST /api/v1/errors/{id}/resolve}. */
  void resolve(Context ctx) {
    change(ctx, ErrorGroups::resolve);
  }

  /** {@code POST /api/v1/errors/{id}/ignore}. */
  void ignore(Context ctx) {
    change(ctx, ErrorGroups::ignore);
  }

  /** {@code POST /api/v1/errors/{id}/unresolve}. */
  void unresolve(Context ctx) {
    change(ctx, ErrorGroups::unresolve);
  }

  private interface Change {
    Optional<ErrorGroup> apply(ErrorGroups groups, String id, String by);
  }

  private void change(Context ctx, Change change) {
    String id = ctx.pathParam("id");
    String by = actor(ctx);
    ErrorGroup after = change.apply(groups(), id, by).orElseThrow(() -> notFound(id));
    Json.send(ctx, 200, ErrorGroupJson.group(after));
  }

  /** The body's {@code by} (the body is optional), else the header, else {@value #DEFAULT_ACTOR}. */
  private String actor(Context ctx) {
    String by = null;
    String field = "by";
    if (hasBody(ctx)) {
      Fields f = Fields.of(bodies.object(ctx), "", CHANGE);
      by = f.text("by");
      f.done();
    }
    if (by == null) {
      by = ctx.header(ACTOR_HEADER);
      field = ACTOR_HEADER;
    }
    if (by == null || by.isBlank()) {
      return DEFAULT_ACTOR;
    }
    if (!ACTOR.matcher(by.strip()).matches()) {
      throw new InvalidRequestException(
          field, "must be a name of 1 to 64 letters, digits, spaces and . _ : - (no e-mail address)");
    }
    return by.strip();
  }

  private static boolean hasBody(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    return length > 0 || (length < 0 && ctx.header("Transfer-Encoding") != null);
  }

  private ErrorGroups groups() {
    if (errors == null) {
      throw Problem.of(404, "not-found", "Not found", "error grouping is off on this server").toException();
    }
    return errors;
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("error group", id);
  }

  /** The id of the group of an attempt's error, or null when grouping is off: for job JSON. */
  static BiFunction<String, dev.vigil.job.JobError, String> groupIds(ErrorGroups errors) {
    return errors == null ? (type, error) -> null : errors::groupId;
  }
}
