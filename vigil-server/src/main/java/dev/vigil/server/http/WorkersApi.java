package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobSpan;
import dev.vigil.llm.LlmCallReport;
import dev.vigil.job.WorkerClaim;
import dev.vigil.store.HeartbeatResult;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The remote-worker protocol: long-polling claims, heartbeats, completions and failures. Every
 * report is fenced by the lease token; the engine answers {@code LeaseLostException} (409) when
 * the token is no longer the job's, and nothing changes.
 */
final class WorkersApi {
  private static final Set<String> CLAIM = Set.of("worker_id", "lanes", "types", "max", "wait_ms", "lease_ms", "slots");
  private static final Set<String> HEARTBEAT = Set.of("lease_token", "progress", "message", "lease_ms");
  private static final Set<String> COMPLETE = Set.of("lease_token", "result", "spans", "usage");
  private static final Set<String> FAIL = Set.of("lease_token", "error", "retryable", "spans", "usage");
  private static final Set<String> ERROR = Set.of("type", "message", "stack", "fingerprint");
  private static final int MAX_MESSAGE = 2_000;
  private static final int MAX_FINGERPRINT_PARTS = 16;

  private final Vigil vigil;
  private final JsonBodies bodies;
  private final Duration defaultLease;
  private final JobJson.GroupIds groups;

  WorkersApi(Vigil vigil, JsonBodies bodies, Duration defaultLease, JobJson.GroupIds groups) {
    this.vigil = vigil;
    this.bodies = bodies;
    this.defaultLease = defaultLease;
    this.groups = groups;
  }

  /** {@code POST /api/v1/claim}: up to {@code max} jobs, waiting up to {@code wait_ms} for work. */
  void claim(Context ctx) {
    Fields f = Fields.of(bodies.object(ctx), "", CLAIM);
    String workerId = f.requiredText("worker_id");
    List<String> lanes = f.textList("lanes");
    List<String> types = f.textList("types");
    Long max = f.integer("max");
    Long waitMs = f.integer("wait_ms");
    Long leaseMs = f.integer("lease_ms");
    Long slots = f.integer("slots");
    f.done();
    int most = max == null ? 1 : clampToInt(max);
    var claim =
        new WorkerClaim(
            workerId,
            lanes,
            new HashSet<>(types),
            most,
            Duration.ofMillis(waitMs == null ? 0 : waitMs),
            leaseMs == null ? defaultLease : Duration.ofMillis(leaseMs),
            slots == null ? Math.max(1, most) : clampToInt(slots));
    List<Job> jobs;
    try {
      jobs = vigil.claim(claim, ClientConnection.of(ctx));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jobs = List.of();
    }
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("jobs");
    jobs.forEach(j -> list.add(JobJson.claimed(j)));
    if (!deliver(ctx, out) && !jobs.isEmpty()) {
      vigil.unclaim(jobs);
    }
  }

  /**
   * Writes a claim's answer and flushes it to the connection, so that an answer the worker can no
   * longer receive is known here; false when it could not be written.
   */
  private static boolean deliver(Context ctx, ObjectNode answer) {
    try {
      byte[] body = Json.MAPPER.writeValueAsBytes(answer);
      ctx.status(200).contentType(Json.CONTENT_TYPE);
      ctx.res().setContentLength(body.length);
      var out = ctx.res().getOutputStream();
      out.write(body);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int clampToInt(long value) {
    return (int) Math.clamp(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** {@code POST /api/v1/jobs/{id}/heartbeat}: renews the lease, records progress. */
  void heartbeat(Context ctx) {
    Fields f = Fields.of(bodies.object(ctx), "", HEARTBEAT);
    String token = f.requiredText("lease_token");
    Double progress = f.number("progress");
    String message = f.text("message");
    Long leaseMs = f.integer("lease_ms");
    f.check(progress == null || (progress >= 0 && progress <= 1), "progress", "must be between 0 and 1");
    f.check(message == null || message.length() <= MAX_MESSAGE, "message", "must be at most " + MAX_MESSAGE + " characters");
    long maxLease = vigil.maxClaimLease().toMillis();
    f.check(leaseMs == null || (leaseMs >= 1_000 && leaseMs <= maxLease), "lease_ms", "must be between 1000 and " + maxLease);
    f.done();
    HeartbeatResult result =
        vigil.heartbeat(ctx.pathParam("id"), token, progress, message, leaseMs == null ? null : Duration.ofMillis(leaseMs));
    Json.send(ctx, 200, JobJson.heartbeat(result));
  }

  /**
   * {@code POST /api/v1/jobs/{id}/complete}: the job succeeded, with an optional result, spans and
   * usage records.
   */
  void complete(Context ctx) {
    Fields f = Fields.of(bodies.object(ctx), "", COMPLETE);
    String token = f.requiredText("lease_token");
    JsonNode result = f.value("result");
    f.done();
    List<JobSpan> spans = SpanReports.read(f.value("spans"));
    List<LlmCallReport> usage = UsageReports.read(f.value("usage"));
    Job job = vigil.complete(ctx.pathParam("id"), token, result == null ? null : result.toString(), spans, usage);
    Json.send(ctx, 200, JobJson.job(job, false, groups));
  }

  /**
   * The worker's own grouping of its error: a string, or an array of strings (its parts, as
   * Sentry's {@code fingerprint}); at most {@value #MAX_FINGERPRINT_PARTS} parts and {@value
   * JobError#MAX_FINGERPRINT} characters in all.
   */
  private static List<String> fingerprint(Fields e) {
    JsonNode v = e.value("fingerprint");
    if (v == null) {
      return List.of();
    }
    if (!v.isTextual() && !v.isArray()) {
      e.error("fingerprint", "must be a string or an array of strings");
      return List.of();
    }
    List<String> parts = v.isTextual() ? List.of(v.textValue()) : e.textList("fingerprint");
    if (v.isArray() && parts.size() != v.size()) {
      return List.of(); // textList reported it
    }
    e.check(!parts.isEmpty() && parts.size() <= MAX_FINGERPRINT_PARTS && parts.stream().noneMatch(String::isBlank),
        "fingerprint", "must be a string or 1 to " + MAX_FINGERPRINT_PARTS + " non-empty strings");
    e.check(String.join("\n", parts).length() <= JobError.MAX_FINGERPRINT,
        "fingerprint", "must be at most " + JobError.MAX_FINGERPRINT + " characters in all");
    return parts;
  }

  /** {@code POST /api/v1/jobs/{id}/fail}: the attempt failed; retried by policy when retryable. */
  void fail(Context ctx) {
    Fields f = Fields.of(bodies.object(ctx), "", FAIL);
    String token = f.requiredText("lease_token");
    Boolean retryable = f.bool("retryable");
    ObjectNode errorNode = f.object("error");
    f.check(f.value("error") != null, "error", "is required");
    f.done();
    Fields e = Fields.of(errorNode, "error.", ERROR);
    String type = e.requiredText("type");
    String message = e.text("message");
    String stack = e.text("stack");
    List<String> fingerprint = fingerprint(e);
    e.done();
    List<JobSpan> spans = SpanReports.read(f.value("spans"));
    List<LlmCallReport> usage = UsageReports.read(f.value("usage"));
    JobError error = new JobError(type, message, stack).withFingerprint(fingerprint);
    Job job = vigil.fail(ctx.pathParam("id"), token, error, retryable == null || retryable, spans, usage);
    Json.send(ctx, 200, JobJson.job(job, false, groups));
  }
}
