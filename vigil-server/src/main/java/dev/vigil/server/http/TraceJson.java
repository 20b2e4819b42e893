package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.job.Attempt;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace as the API shows it: the jobs of one correlation id, oldest first, each with its parent
 * and children, and their lifecycle events in time order ({@code created}, {@code
 * attempt_started}, {@code attempt_ended}, {@code finished}). Events at the same instant keep job
 * order, then lifecycle order.
 */
final class TraceJson {
  private TraceJson() {}

  private record Event(Instant at, int job, int rank, ObjectNode json) {}

  static ObjectNode trace(String correlationId, List<Job> jobs, boolean truncated) {
    ObjectNode n = Json.object();
    n.put("correlation_id", correlationId);
    Map<String, List<String>> children = new HashMap<>();
    for (Job j : jobs) {
      if (j.parentId() != null) {
        children.computeIfAbsent(j.parentId(), p -> new ArrayList<>()).add(j.id());
      }
    }
    ArrayNode jobList = n.putArray("jobs");
    var events = new ArrayList<Event>();
    for (int i = 0; i < jobs.size(); i++) {
      Job j = jobs.get(i);
      jobList.add(job(j, children.getOrDefault(j.id(), List.of())));
      events(j, i, events);
    }
    events.sort(
        Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(Event::job)
            .thenComparingInt(Event::rank));
    ArrayNode eventList = n.putArray("events");
    events.forEach(e -> eventList.add(e.json()));
    n.put("truncated", truncated);
    return n;
  }

  private static ObjectNode job(Job j, List<String> childIds) {
    ObjectNode n = Json.object();
    n.put("id", j.id());
    n.put("type", j.type());
    n.put("lane", j.lane());
    n.put("state", j.state().wireName());
    n.put("attempt", j.attempt());
    n.put("parent_id", j.parentId());
    ArrayNode children = n.putArray("children");
    childIds.forEach(children::add);
    Json.putTime(n, "created_at", j.createdAt());
    Json.putTime(n, "finished_at", j.finishedAt());
    return n;
  }

  private static void events(Job j, int index, List<Event> out) {
    out.add(new Event(j.createdAt(), index, 0, event(j, "created", j.createdAt())));
    for (Attempt a : j.attempts()) {
      if (a.startedAt() != null) {
        out.add(new Event(a.startedAt(), index, 1, event(j, "attempt_started", a.startedAt()).put("attempt", a.attempt())));
      }
      ObjectNode ended = event(j, "attempt_ended", a.finishedAt()).put("attempt", a.attempt());
      ended.put("outcome", a.outcome().wireName());
      if (a.startedAt() != null && a.finishedAt() != null) {
        ended.put("duration_ms", Math.max(0, Duration.between(a.startedAt(), a.finishedAt()).toMillis()));
      }
      if (a.error() != null) {
        ended.put("error_type", a.error().type());
      }
      out.add(new Event(a.finishedAt(), index, 2, ended));
    }
    if (j.state() == JobState.RUNNING && j.startedAt() != null) {
      out.add(new Event(j.startedAt(), index, 1, event(j, "attempt_started", j.startedAt()).put("attempt", j.attempt())));
    }
    if (j.state().isTerminal() && j.finishedAt() != null) {
      out.add(new Event(j.finishedAt(), index, 3, event(j, "finished", j.finishedAt()).put("state", j.state().wireName())));
    }
  }

  private static ObjectNode event(Job j, String kind, Instant at) {
    ObjectNode n = Json.object();
    Json.putTime(n, "at", at);
    n.put("event", kind);
    n.put("job_id", j.id());
    n.put("type", j.type());
    n.put("lane", j.lane());
    return n;
  }
}
