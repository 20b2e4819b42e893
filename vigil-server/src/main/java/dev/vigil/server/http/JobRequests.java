package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.internal.JobRequestJson;
import dev.vigil.job.JobRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads enqueue JSON ({@code type, lane, payload, …}) into {@link JobRequest}s, checking payload
 * sizes first: a payload over the engine's limit answers 413 (naming the field), anything else
 * wrong answers 400 through {@link JobRequestJson}'s field errors. Field names carry a prefix
 * ({@code jobs[3].}, {@code job.}) so a caller knows which job of a batch or schedule failed.
 */
final class JobRequests {
  private final int maxPayloadBytes;

  JobRequests(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  JobRequest read(JsonNode node, String prefix) {
    checkPayloads(List.of(node), i -> prefix);
    return parse(node, prefix);
  }

  /** Reads every job of a batch, reporting the failures of all of them at once. */
  List<JobRequest> readAll(List<JsonNode> nodes) {
    checkPayloads(nodes, i -> "jobs[" + i + "].");
    var requests = new ArrayList<JobRequest>(nodes.size());
    var errors = new ArrayList<FieldError>();
    for (int i = 0; i < nodes.size(); i++) {
      try {
        requests.add(parse(nodes.get(i), "jobs[" + i + "]."));
      } catch (InvalidRequestException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return requests;
  }

  private JobRequest parse(JsonNode node, String prefix) {
    try {
      return JobRequestJson.read(node, Json.MAPPER);
    } catch (InvalidRequestException e) {
      throw prefix.isEmpty() ? e : prefixed(e, prefix);
    }
  }

  private void checkPayloads(List<JsonNode> nodes, IntFunction<String> prefix) {
    var errors = new ArrayList<FieldError>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode payload = nodes.get(i) == null ? null : nodes.get(i).get("payload");
      if (payload != null && payload.toString().getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
        errors.add(new FieldError(prefix.apply(i) + "payload", "is larger than " + maxPayloadBytes + " bytes"));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.tooLarge("a payload is larger than the limit of " + maxPayloadBytes + " bytes", errors)
          .toException();
    }
  }

  /** Prefixes field names; an error about the whole object ({@code ""}) names the object itself. */
  private static InvalidRequestException prefixed(InvalidRequestException e, String prefix) {
    String whole = prefix.substring(0, prefix.length() - 1);
    return new InvalidRequestException(
        e.errors().stream()
            .map(f -> new FieldError(f.field().isEmpty() ? whole : prefix + f.field(), f.message()))
            .toList());
  }
}
