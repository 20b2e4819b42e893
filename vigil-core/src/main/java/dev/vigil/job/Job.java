package dev.vigil.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one job as the store holds it. Immutable; stores build it with {@link #builder()}.
 *
 * <p>{@code payloadJson} and {@code resultJson} are JSON texts exactly as stored. {@code attempts}
 * lists finished attempts and is filled only where a single job is read ({@code get}); lists and
 * claims leave it empty. {@code duplicate} is true only on the answer to an enqueue whose unique
 * key matched a job that was still active: that existing job is returned instead of a new one.
 *
 * @param givenBack attempts that started and were then given back to the queue (a node shut down
 *     while they ran); they do not count toward {@code maxAttempts}
 * @param leaseToken the current lease's secret; only the worker that claimed the job knows it, and
 *     it is meaningful only while the job is {@code running}
 * @param limitKeys the rate limits it draws from when it starts
 * @param concurrencyKey the key whose running jobs are capped and take turns, or null
 * @param cost the units it draws from its limit keys' unit buckets when it starts
 * @param hold why it is ready and not started although it could be, or null
 */
public record Job(
    String id,
    String type,
    String lane,
    JobState state,
    int attempt,
    int maxAttempts,
    int givenBack,
    String payloadJson,
    Instant runAt,
    Duration timeout,
    String uniqueKey,
    String correlationId,
    String parentId,
    List<String> tags,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Double progress,
    String progressMessage,
    JobError lastError,
    String resultJson,
    boolean cancelRequested,
    String leaseOwner,
    String leaseToken,
    Instant leaseExpiresAt,
    List<Attempt> attempts,
    boolean duplicate,
    List<String> limitKeys,
    String concurrencyKey,
    long cost,
    Hold hold) {

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(state, "state");
    tags = tags == null ? List.of() : List.copyOf(tags);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    limitKeys = limitKeys == null ? List.of() : List.copyOf(limitKeys);
  }

  /** A builder with no fields set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this job's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Whether a failed current attempt may be retried: the attempts that count (every attempt but
   * those given back) are still below {@code maxAttempts}.
   */
  public boolean mayRetry() {
    return attempt - givenBack < maxAttempts;
  }

  /** This job flagged as the existing match of a duplicate enqueue. */
  public Job asDuplicate() {
    return toBuilder().duplicate(true).build();
  }

  /** Builds {@link Job} snapshots; used by stores and tests. */
  public static final class Builder {
    private String id;
    private String type;
    private String lane;
    private JobState state;
    private int attempt;
    private int maxAttempts = 1;
    private int givenBack;
    private String payloadJson = "null";
    private Instant runAt;
    private Duration timeout;
    private String uniqueKey;
    private String correlationId;
    private String parentId;
    private List<String> tags = List.of();
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Double progress;
    private String progressMessage;
    private JobError lastError;
    private String resultJson;
    private boolean cancelRequested;
    private String leaseOwner;
    private String leaseToken;
    private Instant leaseExpiresAt;
    private List<Attempt> attempts = List.of();
    private boolean duplicate;
    private List<String> limitKeys = List.of();
    private String concurrencyKey;
    private long cost;
    private Hold hold;

    private Builder() {}

    private Builder(Job j) {
      id = j.id;
      type = j.type;
      lane = j.lane;
      state = j.state;
      attempt = j.attempt;
      maxAttempts = j.maxAttempts;
      givenBack = j.givenBack;
      payloadJson = j.payloadJson;
      runAt = j.runAt;
      timeout = j.timeout;
      uniqueKey = j.uniqueKey;
      correlationId = j.correlationId;
      parentId = j.parentId;
      tags = j.tags;
      createdAt = j.createdAt;
      startedAt = j.startedAt;
      finishedAt = j.finishedAt;
      progress = j.progress;
      progressMessage = j.progressMessage;
      lastError = j.lastError;
      resultJson = j.resultJson;
      cancelRequested = j.cancelRequested;
      leaseOwner = j.leaseOwner;
      leaseToken = j.leaseToken;
      leaseExpiresAt = j.leaseExpiresAt;
      attempts = j.attempts;
      duplicate = j.duplicate;
      limitKeys = j.limitKeys;
      concurrencyKey = j.concurrencyKey;
      cost = j.cost;
      hold = j.hold;
    }

    public Builder id(String v) { id = v; return this; }
    public Builder type(String v) { type = v; return this; }
    public Builder lane(String v) { lane = v; return this; }
    public Builder state(JobState v) { state = v; return this; }
    public Builder attempt(int v) { attempt = v; return this; }
    public Builder maxAttempts(int v) { maxAttempts = v; return this; }
    public Builder givenBack(int v) { givenBack = v; return this; }
    public Builder payloadJson(String v) { payloadJson = v; return this; }
    public Builder runAt(Instant v) { runAt = v; return this; }
    public Builder timeout(Duration v) { timeout = v; return this; }
    public Builder uniqueKey(String v) { uniqueKey = v; return this; }
    public Builder correlationId(String v) { correlationId = v; return this; }
    public Builder parentId(String v) { parentId = v; return this; }
    public Builder tags(List<String> v) { tags = v; return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder startedAt(Instant v) { startedAt = v; return this; }
    public Builder finishedAt(Instant v) { finishedAt = v; return this; }
    public Builder progress(Double v) { progress = v; return this; }
    public Builder progressMessage(String v) { progressMessage = v; return this; }
    public Builder lastError(JobError v) { lastError = v; return this; }
    public Builder resultJson(String v) { resultJson = v; return this; }
    public Builder cancelRequested(boolean v) { cancelRequested = v; return this; }
    public Builder leaseOwner(String v) { leaseOwner = v; return this; }
    public Builder leaseToken(String v) { leaseToken = v; return this; }
    public Builder leaseExpiresAt(Instant v) { leaseExpiresAt = v; return this; }
    public Builder attempts(List<Attempt> v) { attempts = v; return this; }
    public Builder duplicate(boolean v) { duplicate = v; return this; }
    public Builder limitKeys(List<String> v) { limitKeys = v; return this; }
    public Builder concurrencyKey(String v) { concurrencyKey = v; return this; }
    public Builder cost(long v) { cost = v; return this; }
    public Builder hold(Hold v) { hold = v; return this; }

    public Job build() {
      return new Job(
          id, type, lane, state, attempt, maxAttempts, givenBack, payloadJson, runAt, timeout, uniqueKey,
          correlationId, parentId, tags, createdAt, startedAt, finishedAt, progress,
          progressMessage, lastError, resultJson, cancelRequested, leaseOwner, leaseToken,
          leaseExpiresAt, attempts, duplicate, limitKeys, concurrencyKey, cost, hold);
    }
  }
}
