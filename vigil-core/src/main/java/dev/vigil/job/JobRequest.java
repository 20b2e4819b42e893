package dev.vigil.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a caller asks for when enqueueing a job. Only the type is required; everything left unset
 * takes the engine's defaults (lane {@code background}, the job type's retry policy and timeout,
 * run now). Requests are validated when enqueued, not when built, so that every failing field can
 * be reported at once.
 *
 * <pre>{@code
 * JobRequest.builder("generate_reply")
 *     .lane("cognition")
 *     .payload(Map.of("post_id", "p1"))
 *     .uniqueKey("reply:p1")
 *     .build();
 * }</pre>
 *
 * @param payload an object Jackson can write as JSON, or {@code null}; ignored when {@code
 *     payloadJson} is set
 * @param payloadJson the payload as JSON text, or {@code null}
 * @param maxAttempts total attempts allowed, or {@code null} for the type's default
 * @param timeout how long one attempt may run, or {@code null} for the type's default
 * @param limitKeys the rate limits the job draws from ({@code provider:openai}, {@code
 *     tenant:acme}); empty for none
 * @param concurrencyKey the key whose running jobs are capped and take turns ({@code user:42}), or
 *     {@code null}
 * @param cost units drawn from the limit keys' unit buckets when the job starts (estimated
 *     tokens), or {@code null} for none
 */
public record JobRequest(
    String type,
    String lane,
    Object payload,
    String payloadJson,
    Instant runAt,
    Duration delay,
    Integer maxAttempts,
    Duration timeout,
    String uniqueKey,
    String correlationId,
    String parentId,
    List<String> tags,
    List<String> limitKeys,
    String concurrencyKey,
    Long cost) {

  public JobRequest {
    tags = tags == null ? List.of() : List.copyOf(tags);
    limitKeys = limitKeys == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(limitKeys));
  }

  /** A builder for a job of the given type. */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** A builder holding this request's fields. */
  public Builder toBuilder() {
    return new Builder(type)
        .lane(lane)
        .payload(payload)
        .payloadJson(payloadJson)
        .runAt(runAt)
        .delay(delay)
        .maxAttempts(maxAttempts)
        .timeout(timeout)
        .uniqueKey(uniqueKey)
        .correlationId(correlationId)
        .parentId(parentId)
        .tags(tags)
        .limitKeys(limitKeys)
        .concurrencyKey(concurrencyKey)
        .cost(cost);
  }

  /** Builds {@link JobRequest}s. */
  public static final class Builder {
    private final String type;
    private String lane;
    private Object payload;
    private String payloadJson;
    private Instant runAt;
    private Duration delay;
    private Integer maxAttempts;
    private Duration timeout;
    private String uniqueKey;
    private String correlationId;
    private String parentId;
    private List<String> tags = List.of();
    private List<String> limitKeys = List.of();
    private String concurrencyKey;
    private Long cost;

    private Builder(String type) {
      this.type = type;
    }

    /** The lane to run in; defaults to {@code background}. */
    public Builder lane(String v) { lane = v; return this; }

    /** The payload, written as JSON by Jackson. */
    public Builder payload(Object v) { payload = v; return this; }

    /** The payload as JSON text; takes precedence over {@link #payload(Object)}. */
    public Builder payloadJson(String v) { payloadJson = v; return this; }

    /** Run no earlier than this instant. */
    public Builder runAt(Instant v) { runAt = v; return this; }

    /** Run no earlier than this long from now; must not be negative. */
    public Builder delay(Duration v) { delay = v; return this; }

    /** Total attempts allowed, 1 to 100. */
    public Builder maxAttempts(Integer v) { maxAttempts = v; return this; }

    /** How long one attempt may run before it is interrupted. */
    public Builder timeout(Duration v) { timeout = v; return this; }

    /** At most one job with this key is scheduled, ready or running at any time. */
    public Builder uniqueKey(String v) { uniqueKey = v; return this; }

    /** Ties this job to the request or conversation that caused it. */
    public Builder correlationId(String v) { correlationId = v; return this; }

    /** The job that enqueued this one. */
    public Builder parentId(String v) { parentId = v; return this; }

    /** Free labels for filtering. */
    public Builder tags(List<String> v) { tags = v; return this; }

    /** The rate limits the job draws from when it starts, e.g. {@code provider:openai}; at most 8. */
    public Builder limitKeys(List<String> v) { limitKeys = v; return this; }

    /** The key whose running jobs are capped and take turns, e.g. {@code user:42}. */
    public Builder concurrencyKey(String v) { concurrencyKey = v; return this; }

    /** Units (estimated tokens) drawn from the limit keys' unit buckets when the job starts. */
    public Builder cost(Long v) { cost = v; return this; }

    public JobRequest build() {
      return new JobRequest(
          type, lane, payload, payloadJson, runAt, delay, maxAttempts, timeout, uniqueKey,
          correlationId, parentId, tags, limitKeys, concurrencyKey, cost);
    }
  }
}
