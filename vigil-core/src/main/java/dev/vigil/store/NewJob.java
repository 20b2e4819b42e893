package dev.vigil.store;

import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated job ready to insert: every default applied, id assigned, state chosen ({@code
 * scheduled} when {@code runAt} is in the future, otherwise {@code ready}).
 */
public record NewJob(
    String id,
    String type,
    String lane,
    JobState state,
    String payloadJson,
    Instant runAt,
    int maxAttempts,
    Duration timeout,
    String uniqueKey,
    String correlationId,
    String parentId,
    List<String> tags,
    Instant createdAt,
    List<String> limitKeys,
    String concurrencyKey,
    long cost) {

  public NewJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(runAt, "runAt");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(createdAt, "createdAt");
    if (state != JobState.SCHEDULED && state != JobState.READY) {
      throw new IllegalArgumentException("a new job is scheduled or ready, not " + state);
    }
    tags = tags == null ? List.of() : List.copyOf(tags);
    limitKeys = limitKeys == null ? List.of() : List.copyOf(limitKeys);
  }

  /** Whether it carries a limit key or a concurrency key, so that starting it asks the limits first. */
  public boolean keyed() {
    return !limitKeys.isEmpty() || concurrencyKey != null;
  }
}
