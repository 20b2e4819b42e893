package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.job.Attempt;
import dev.vigil.job.Job;
import dev.vigil.job.JobSpan;
import dev.vigil.job.JobState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code timeline} of a job's detail: where its time went. Enqueued, then for each attempt its
 * queue wait (from the moment it was due, or the previous attempt's end if later, to its start),
 * its start, the spans it timed and its end; a running attempt shows its start only.
 *
 * <pre>{@code
 * {"enqueued_at":"…","finished_at":"…","total_ms":812,
 *  "attempts":[{"attempt":1,"ready_at":"…","queue_wait_ms":3,"started_at":"…","worker_id":"…",
 *    "spans":[{"name":"llm_call","start":"…","offset_ms":2,"duration_ms":180.412,"attributes":{}}],
 *    "finished_at":"…","run_ms":190,"outcome":"succeeded"}]}
 * }</pre>
 *
 * Span durations keep microseconds ({@code duration_ms} with three decimals); every other
 * duration is whole milliseconds.
 */
final class TimelineJson {
  private TimelineJson() {}

  static ObjectNode timeline(Job job) {
    ObjectNode n = Json.object();
    Json.putTime(n, "enqueued_at", job.createdAt());
    ArrayNode attempts = n.putArray("attempts");
    Instant previousEnd = null;
    for (Attempt a : job.attempts()) {
      Instant due = a.readyAt() != null ? a.readyAt() : previousEnd == null ? job.createdAt() : previousEnd;
      attempts.add(attempt(a.attempt(), waitStart(due, previousEnd, job.createdAt()), a.startedAt(), a.workerId(), a));
      previousEnd = a.finishedAt();
    }
    if (job.state() == JobState.RUNNING && job.startedAt() != null) {
      Instant due = waitStart(job.runAt(), previousEnd, job.createdAt());
      attempts.add(attempt(job.attempt(), due, job.startedAt(), job.leaseOwner(), null));
    }
    Json.putTime(n, "finished_at", job.finishedAt());
    if (job.finishedAt() != null && job.createdAt() != null) {
      n.put("total_ms", millis(job.createdAt(), job.finishedAt()));
    } else {
      n.putNull("total_ms");
    }
    return n;
  }

  /** The latest of when the attempt was due, the previous attempt's end, and the job's creation. */
  private static Instant waitStart(Instant due, Instant previousEnd, Instant created) {
    Instant from = due;
    if (from == null || (previousEnd != null && previousEnd.isAfter(from))) {
      from = previousEnd;
    }
    if (from == null || (created != null && created.isAfter(from))) {
      from = created;
    }
    return from;
  }

  /** One attempt; {@code finished} null for the attempt still running. */
  private static ObjectNode attempt(int number, Instant waitFrom, Instant started, String worker, Attempt finished) {
    ObjectNode n = Json.object();
    n.put("attempt", number);
    Json.putTime(n, "ready_at", waitFrom);
    if (waitFrom != null && started != null) {
      n.put("queue_wait_ms", millis(waitFrom, started));
    } else {
      n.putNull("queue_wait_ms");
    }
    Json.putTime(n, "started_at", started);
    n.put("worker_id", worker);
    ArrayNode spans = n.putArray("spans");
    if (finished == null) {
      n.putNull("finished_at");
      n.putNull("run_ms");
      n.putNull("outcome");
      return n;
    }
    for (JobSpan s : finished.spans()) {
      spans.add(span(s, started));
    }
    Json.putTime(n, "finished_at", finished.finishedAt());
    if (started != null && finished.finishedAt() != null) {
      n.put("run_ms", millis(started, finished.finishedAt()));
    } else {
      n.putNull("run_ms");
    }
    n.put("outcome", finished.outcome().wireName());
    return n;
  }

  static ObjectNode span(JobSpan s, Instant attemptStart) {
    ObjectNode n = Json.object();
    n.put("name", s.name());
    Json.putTime(n, "start", s.start());
    if (attemptStart != null) {
      n.put("offset_ms", millis(attemptStart, s.start()));
    }
    n.put("duration_ms", BigDecimal.valueOf(s.duration().toNanos() / 1_000, 3));
    ObjectNode attributes = n.putObject("attributes");
    for (Map.Entry<String, String> a : s.attributes().entrySet()) {
      attributes.put(a.getKey(), a.getValue());
    }
    return n;
  }

  private static long millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
