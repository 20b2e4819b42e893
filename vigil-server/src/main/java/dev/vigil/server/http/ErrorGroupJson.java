package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.observe.errors.ErrorGroup;
import dev.vigil.observe.errors.ErrorGroupStore.StoredOccurrence;
import java.util.List;

/** Error groups as the API shows them ({@code API.md}, "Error groups"). */
final class ErrorGroupJson {
  private ErrorGroupJson() {}

  static ObjectNode group(ErrorGroup g) {
    ObjectNode n = Json.object();
    n.put("id", g.id());
    n.put("fingerprint", g.fingerprint());
    n.put("title", g.title());
    n.put("error_type", g.errorType());
    n.put("culprit", g.culprit());
    Json.putTime(n, "first_seen", g.firstSeen());
    Json.putTime(n, "last_seen", g.lastSeen());
    n.put("count", g.count());
    n.put("count_24h", g.count24h());
    strings(n.putArray("job_types"), g.jobTypes());
    strings(n.putArray("lanes"), g.lanes());
    n.put("status", g.status().wireName());
    n.put("regressed", g.regressed());
    Json.putTime(n, "regressed_at", g.regressedAt());
    Json.putTime(n, "resolved_at", g.resolvedAt());
    n.put("resolved_by", g.resolvedBy());
    Json.putTime(n, "unresolved_since", g.unresolvedSince());
    strings(n.putArray("sample_job_ids"), g.sampleJobIds());
    ArrayNode hourly = n.putArray("hourly");
    g.hourly().forEach(hourly::add);
    return n;
  }

  /** The group with its last attempts, newest first, each with its redacted message. */
  static ObjectNode detail(ErrorGroup g, List<StoredOccurrence> attempts) {
    ObjectNode n = group(g);
    ArrayNode list = n.putArray("attempts");
    for (StoredOccurrence o : attempts) {
      ObjectNode a = list.addObject();
      a.put("job_id", o.jobId());
      a.put("attempt", o.attempt());
      Json.putTime(a, "at", o.at());
      a.put("type", o.jobType());
      a.put("lane", o.lane());
      a.put("outcome", o.outcome());
      ObjectNode error = a.putObject("error");
      error.put("type", o.errorType());
      error.put("message", o.message());
    }
    return n;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
