package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.JobRejectedException;
import dev.vigil.NotFoundException;
import dev.vigil.TooManyClaimsException;
import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.LeaseLostException;
import dev.vigil.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception a request can end in into an {@code application/problem+json} answer.
 * Client errors map by type (400 invalid, 404 not found, 409 conflict or lost lease, 429 too many
 * waiting claims, with {@code Retry-After}); an enqueue refused by admission is 429 {@code
 * lane-full} or 503 {@code overloaded}, with {@code Retry-After}; Javalin's
 * own answers (no route, wrong method) keep their status; anything else is a 500 that says only
 * an error id, logged here with its stack trace (never a request body), or a 503 once the
 * server is draining and the engine refuses work. A store that cannot answer (PostgreSQL
 * restarting, a statement timeout) is a 503 {@code store-unavailable} with {@code Retry-After}:
 * nothing the request asked for happened, and the client may simply send it again.
 */
final class ProblemMapper {
  private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);

  private final ServerState state;

  ProblemMapper(ServerState state) {
    this.state = state;
  }

  void handle(Exception e, Context ctx) {
    write(ctx, problemFor(e, ctx));
  }

  private Problem problemFor(Exception e, Context ctx) {
    return switch (e) {
      case ApiProblem p -> p.problem();
      case InvalidRequestException i -> Problem.invalid(i.errors());
      case NotFoundException n -> Problem.of(404, "not-found", "Not found", n.getMessage());
      case LeaseLostException l -> Problem.of(409, "lease-lost", "Lease lost", l.getMessage());
      case IllegalTransitionException t -> Problem.of(409, "illegal-transition", "Conflict", t.getMessage());
      case HttpResponseException h -> javalin(h, ctx);
      case StoreException s -> storeUnavailable(s, ctx);
      case TooManyClaimsException t -> Problem.rateLimited(t.getMessage(), t.retryAfter());
      case JobRejectedException r -> Problem.rejected(r);
      default -> state.acceptsWork() ? internal(e, ctx) : Problem.unavailable("the server is shutting down");
    };
  }

  private static Problem javalin(HttpResponseException h, Context ctx) {
    String route = ctx.method().name() + " " + ctx.path();
    return switch (h.getStatus()) {
      case 404 -> Problem.of(404, "not-found", "Not found", "no route " + route);
      case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", "no route " + route,
          List.of(), allow(h));
      case 413 -> Problem.tooLarge("the request body is too large", List.of());
      default -> Problem.of(h.getStatus(), "http-" + h.getStatus(), "HTTP " + h.getStatus(), "the request was refused");
    };
  }

  /** The {@code Allow} header of a 405, from the methods Javalin found for the path. */
  private static Map<String, String> allow(HttpResponseException h) {
    return h.getDetails().entrySet().stream()
        .filter(e -> e.getKey().toLowerCase(Locale.ROOT).contains("method"))
        .findFirst()
        .map(e -> Map.of("Allow", e.getValue().replace(" ", "")))
        .orElse(Map.of());
  }

  private static Problem storeUnavailable(StoreException e, Context ctx) {
    log.warn("store unavailable in {} {}: {}", ctx.method().name(), route(ctx), e.getMessage());
    return Problem.storeUnavailable();
  }

  private static String route(Context ctx) {
    try {
      return ctx.endpoint().path;
    } catch (RuntimeException unmatched) {
      return ctx.path();
    }
  }

  private static Problem internal(Exception e, Context ctx) {
    String id = UUID.randomUUID().toString();
    log.error("internal error {} in {} {}", id, ctx.method().name(), route(ctx), e);
    return Problem.of(500, "internal-error", "Internal server error", "an internal error occurred (error id " + id + ")");
  }

  /**
   * Answers a request that ended in a {@link Error} (Javalin hands these over apart from
   * exceptions) with a 500 problem, logged like any internal error.
   */
  void handleError(HttpServletResponse res, Error error) {
    String id = UUID.randomUUID().toString();
    log.error("internal error {}", id, error);
    ObjectNode n = Json.object();
    n.put("type", Problem.TYPE_BASE + "internal-error");
    n.put("title", "Internal server error");
    n.put("status", 500);
    n.put("detail", "an internal error occurred (error id " + id + ")");
    try {
      res.setStatus(500);
      res.setContentType(Json.PROBLEM_CONTENT_TYPE);
      res.getOutputStream().write(Json.MAPPER.writeValueAsBytes(n));
    } catch (IOException | IllegalStateException e) {
      log.debug("could not write the error answer: {}", e.toString());
    }
  }

  private static void write(Context ctx, Problem p) {
    ObjectNode n = Json.object();
    n.put("type", p.type());
    n.put("title", p.title());
    n.put("status", p.status());
    n.put("detail", p.detail());
    n.put("instance", ctx.path());
    if (!p.errors().isEmpty()) {
      ArrayNode errors = n.putArray("errors");
      p.errors().forEach(f -> errors.addObject().put("field", f.field()).put("message", f.message()));
    }
    p.headers().forEach(ctx::header);
    Json.send(ctx, p.status(), Json.PROBLEM_CONTENT_TYPE, n);
  }
}
