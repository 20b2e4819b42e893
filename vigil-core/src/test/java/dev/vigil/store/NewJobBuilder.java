package dev.vigil.store;

import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Builds {@link NewJob}s for tests with plain defaults: type {@code test_job}, lane {@code
 * background}, ready at the given instant, payload {@code {}}, 3 attempts, 15 s timeout, no unique
 * key, correlation id, parent or tags.
 */
public final class NewJobBuilder {
  private String id;
  private String type = "test_job";
  private String lane = "background";
  private JobState state = JobState.READY;
  private String payloadJson = "{}";
  private Instant runAt;
  private int maxAttempts = 3;
  private Duration timeout = Duration.ofSeconds(15);
  private String uniqueKey;
  private String correlationId;
  private String parentId;
  private List<String> tags = List.of();
  private Instant createdAt;
  private List<String> limitKeys = List.of();
  private String concurrencyKey;
  private long cost;

  /** A ready job with this id, created and due at {@code now}. */
  public NewJobBuilder(String id, Instant now) {
    this.id = id;
    this.runAt = now;
    this.createdAt = now;
  }

  public NewJobBuilder id(String v) {
    id = v;
    return this;
  }

  public NewJobBuilder type(String v) {
    type = v;
    return this;
  }

  public NewJobBuilder lane(String v) {
    lane = v;
    return this;
  }

  public NewJobBuilder payloadJson(String v) {
    payloadJson = v;
    return this;
  }

  /** Ready, and due since {@code v} (which orders claims). */
  public NewJobBuilder readyAt(Instant v) {
    state = JobState.READY;
    runAt = v;
    return this;
  }

  /** Scheduled to run at {@code v}. */
  public NewJobBuilder scheduledAt(Instant v) {
    state = JobState.SCHEDULED;
    runAt = v;
    return this;
  }

  public NewJobBuilder maxAttempts(int v) {
    maxAttempts = v;
    return this;
  }

  public NewJobBuilder timeout(Duration v) {
    timeout = v;
    return this;
  }

  public NewJobBuilder uniqueKey(String v) {
    uniqueKey = v;
    return this;
  }

  public NewJobBuilder correlationId(String v) {
    correlationId = v;
    return this;
  }

  public NewJobBuilder parentId(String v) {
    parentId = v;
    return this;
  }

  public NewJobBuilder tags(String... v) {
    tags = List.of(v);
    return this;
  }

  public NewJobBuilder limitKeys(String... v) {
    limitKeys = List.of(v);
    return this;
  }

  public NewJobBuilder concurrencyKey(String v) {
    concurrencyKey = v;
    return this;
  }

  public NewJobBuilder cost(long v) {
    cost = v;
    return this;
  }

  public NewJobBuilder createdAt(Instant v) {
    createdAt = v;
    return this;
  }

  public NewJob build() {
    return new NewJob(
        id,
        type,
        lane,
        state,
        payloadJson,
        runAt,
        maxAttempts,
        timeout,
        uniqueKey,
        correlationId,
        parentId,
        tags,
        createdAt,
        limitKeys,
        concurrencyKey,
        cost);
  }
}
