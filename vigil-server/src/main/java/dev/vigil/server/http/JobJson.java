package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.job.Attempt;
import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.llm.JobUsage;
import dev.vigil.store.HeartbeatResult;

/**
 * Jobs as the API shows them. Every job carries every field of the contract (null when unset);
 * the lease token appears only in a claim's answer, to the worker that holds the lease. Error
 * stack traces and the job's LLM {@code usage} appear only in the single-job view, to keep lists
 * small and cheap ({@code usage} is null elsewhere).
 */
final class JobJson {
  /** The error types the engine writes for attempts that did not fail: a cancellation, a give-back. */
  private static final java.util.Set<String> NOT_FAILURES = java.util.Set.of("Cancelled", "LeaseReleased");

  private JobJson() {}

  /** The id of the error group of a job type's error ({@code ErrorGroups.groupId}); null when grouping is off. */
  @FunctionalInterface
  interface GroupIds {
    GroupIds NONE = (type, error) -> null;

    String of(String jobType, JobError error);
  }

  /** The full job, without error group ids. */
  static ObjectNode job(Job j, boolean detail) {
    return job(j, detail, GroupIds.NONE);
  }

  /**
   * The full job; {@code detail} adds error stacks (the attempts come only from a single-job read).
   * Each failed attempt carries the id of its error group, and so does the job, for its last failed
   * attempt ({@code error_group_id}, null when there is none).
   */
  static ObjectNode job(Job j, boolean detail, GroupIds groups) {
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
    ArrayNode limitKeys = n.putArray("limit_keys");
    j.limitKeys().forEach(limitKeys::add);
    n.put("concurrency_key", j.concurrencyKey());
    n.put("cost", j.cost());
    n.set("held", held(j.hold()));
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
    n.put("error_group_id", lastGroup(j, groups));
    Json.putRaw(n, "result", j.resultJson());
    n.put("cancel_requested", j.cancelRequested());
    n.put("duplicate", j.duplicate());
    ArrayNode attempts = n.putArray("attempts");
    j.attempts().forEach(a -> attempts.add(attempt(a, detail, j.type(), groups)));
    n.putNull("usage");
    return n;
  }

  /**
   * A job's model calls summed ({@code usage}): {@code {"calls","input_tokens","output_tokens",
   * "cost_usd","retry_cost_usd","energy_wh","co2e_g"}}, costs in US dollars (null when no call was
   * priced), {@code retry_cost_usd} the cost of the calls of attempts that did not succeed; JSON
   * null when the job made no calls.
   */
  static JsonNode usage(JobUsage u) {
    if (u == null) {
      return NullNode.getInstance();
    }
    ObjectNode n = Json.object();
    n.put("calls", u.calls());
    n.put("input_tokens", u.inputTokens());
    n.put("output_tokens", u.outputTokens());
    n.put("cost_usd", u.costUsd());
    n.put("retry_cost_usd", u.retryCostUsd());
    n.put("energy_wh", u.energyWh());
    n.put("co2e_g", u.co2eGrams());
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

  /** {@code {"by","key","until"}}, or JSON null for a job nothing holds. */
  private static JsonNode held(Hold h) {
    if (h == null) {
      return NullNode.getInstance();
    }
    ObjectNode n = Json.object();
    n.put("by", h.by());
    n.put("key", h.key());
    Json.putTime(n, "until", h.until());
    return n;
  }

  static ObjectNode heartbeat(HeartbeatResult r) {
    ObjectNode n = Json.object();
    Json.putTime(n, "lease_expires_at", r.leaseExpiresAt());
    n.put("cancel_requested", r.cancelRequested());
    return n;
  }

  /** Whether an attempt failed (failed, timed out, lost its lease; not given back or cancelled). */
  static boolean failed(Attempt a) {
    return a.error() != null && a.outcome() != null && a.outcome() != dev.vigil.job.AttemptOutcome.SUCCEEDED
        && a.outcome() != dev.vigil.job.AttemptOutcome.CANCELLED && !NOT_FAILURES.contains(a.error().type());
  }

  private static String lastGroup(Job j, GroupIds groups) {
    for (int i = j.attempts().size() - 1; i >= 0; i--) {
      if (failed(j.attempts().get(i))) {
        return groups.of(j.type(), j.attempts().get(i).error());
      }
    }
    JobError last = j.lastError();
    return j.attempts().isEmpty() && last != null && !NOT_FAILURES.contains(last.type()) ? groups.of(j.type(), last) : null;
  }

  private static ObjectNode attempt(Attempt a, boolean detail, String jobType, GroupIds groups) {
    ObjectNode n = Json.object();
    n.put("attempt", a.attempt());
    Json.putTime(n, "started_at", a.startedAt());
    Json.putTime(n, "finished_at", a.finishedAt());
    n.put("outcome", a.outcome() == null ? null : a.outcome().wireName());
    n.put("worker_id", a.workerId());
    n.set("error", error(a.error(), detail));
    n.put("error_group_id", failed(a) ? groups.of(jobType, a.error()) : null);
    return n;
  }

  private static ObjectNode error(JobError e, boolean withStack) {
    if (e == null) {
      return null;
    }
    ObjectNode n = Json.object();
    n.put("type", e.type());
    n.put("message", e.message());
    n.put("fingerprint", e.fingerprint());
    if (withStack) {
      n.put("stack", e.stack());
    }
    return n;
  }
}
