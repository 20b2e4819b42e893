package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.job.Attempt;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.store.HeartbeatResult;

/**
 * Jobs as the API shows them. Every job carries every field of the contract (null when unset);
 * the lease token appears only in a claim's answer, to the worker that holds the lease. Error
 * stack traces appear only in the single-job view, to keep lists small.
 */
final class JobJson {
  private JobJson() {}

  /** The full job; {@code detail} adds error stacks (the attempts come only from a single-job read). */
  static ObjectNode job(Job j, boolean detail) {
    ObjectNode n = Json.object();
    n.put("id", j.id());
    n.put("type", j.type());
    n.put("lane", j.lane());
    n.put("state", j.state().wireName());
    n.put("attempt", j.attempt());
    n.put("max_attempts", j.maxAttempts());
    Json.putRaw(n, "payload", j.payloadJson());
    Json.putTime(n, "run_at", j.runAt());
    Json.putMillis(n, "timeout_ms", j.timeout());
    n.put("unique_key", j.uniqueKey());
    n.put("correlation_id", j.correlationId());
    n.put("parent_id", j.parentId());
    ArrayNode tags = n.putArray("tags");
    j.tags().forEach(tags::add);
    Json.putTime(n, "created_at", j.createdAt());
    Json.putTime(n, "started_at", j.startedAt());
    Json.putTime(n, "finished_at", j.finishedAt());
    if (j.progress() == null) {
      n.putNull("progress");
    } else {
      n.put("progress", j.progress());
    }
    n.put("progress_message", j.progressMessage());
    n.set("last_error", error(j.lastError(), detail));
    Json.putRaw(n, "result", j.resultJson());
    n.put("cancel_requested", j.cancelRequested());
    n.put("duplicate", j.duplicate());
    ArrayNode attempts = n.putArray("attempts");
    j.attempts().forEach(a -> attempts.add(attempt(a, detail)));
    return n;
  }

  /** A job as handed to a remote worker by a claim, with its lease. */
  static ObjectNode claimed(Job j) {
    ObjectNode n = Json.object();
    n.put("id", j.id());
    n.put("type", j.type());
    n.put("lane", j.lane());
    Json.putRaw(n, "payload", j.payloadJson());
    n.put("attempt", j.attempt());
    n.put("max_attempts", j.maxAttempts());
    n.put("lease_token", j.leaseToken());
    Json.putTime(n, "lease_expires_at", j.leaseExpiresAt());
    Json.putMillis(n, "timeout_ms", j.timeout());
    n.put("correlation_id", j.correlationId());
    n.put("parent_id", j.parentId());
    ArrayNode tags = n.putArray("tags");
    j.tags().forEach(tags::add);
    return n;
  }

  static ObjectNode heartbeat(HeartbeatResult r) {
    ObjectNode n = Json.object();
    Json.putTime(n, "lease_expires_at", r.leaseExpiresAt());
    n.put("cancel_requested", r.cancelRequested());
    return n;
  }

  private static ObjectNode attempt(Attempt a, boolean detail) {
    ObjectNode n = Json.object();
    n.put("attempt", a.attempt());
    Json.putTime(n, "started_at", a.startedAt());
    Json.putTime(n, "finished_at", a.finishedAt());
    n.put("outcome", a.outcome() == null ? null : a.outcome().wireName());
    n.put("worker_id", a.workerId());
    n.set("error", error(a.error(), detail));
    return n;
  }

  private static ObjectNode error(JobError e, boolean withStack) {
    if (e == null) {
      return null;
    }
    ObjectNode n = Json.object();
    n.put("type", e.type());
    n.put("message", e.message());
    if (withStack) {
      n.put("stack", e.stack());
    }
    return n;
  }
}
