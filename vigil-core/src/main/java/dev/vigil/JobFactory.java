package dev.vigil;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.internal.CorrelationIds;
import dev.vigil.internal.JsonText;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.job.RetryPolicy;
import dev.vigil.store.NewJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns requests into validated {@link NewJob}s: checks every field, reports all failures at
 * once, and fills in the defaults (lane, attempts, timeout, run time, id).
 */
final class JobFactory {
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
  private static final int MAX_KEY = 512;
  private static final int MAX_ID = 200;
  private static final int MAX_TAGS = 32;
  private static final int MAX_TAG = 64;
  private static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  /** A limit or concurrency key: {@code provider:openai}, {@code tenant:acme}, {@code user:42}. */
  static final Pattern LIMIT_KEY = Pattern.compile("[A-Za-z0-9_.:@/-]{1,128}");
  private static final String LIMIT_KEY_RULE = "must be 1-128 letters, digits, '_', '.', ':', '@', '/' or '-'";
  private static final int MAX_LIMIT_KEYS = 8;
  private static final long MAX_COST = 1_000_000_000_000L;
  private static final String NOT_UNICODE = "must be valid Unicode text (no unpaired UTF-16 surrogate)";

  private final EngineConfig config;
  private final Ids ids;

  JobFactory(EngineConfig config, Ids ids) {
    this.config = config;
    this.ids = ids;
  }

  /**
   * Validates a request and builds the job to insert.
   *
   * @throws InvalidRequestException naming every failing field
   */
  NewJob create(JobRequest r) {
    var errors = new ArrayList<FieldError>();
    String type = r.type();
    if (type == null || type.isBlank()) {
      errors.add(new FieldError("type", "is required"));
    } else if (!TYPE.matcher(type).matches()) {
      errors.add(new FieldError("type", "must be 1-200 letters, digits, '_', '.', ':' or '-'"));
    }
    String lane = r.lane() == null ? Lane.DEFAULT_LANE : r.lane();
    if (config.lane(lane).isEmpty()) {
      errors.add(new FieldError("lane", "unknown lane '" + lane + "'"));
    }
    String payload = payloadJson(r, errors);
    if (r.delay() != null && r.delay().isNegative()) {
      errors.add(new FieldError("delay_ms", "must not be negative"));
    }
    if (r.delay() != null && r.runAt() != null && !r.delay().isZero()) {
      errors.add(new FieldError("run_at", "give run_at or delay_ms, not both"));
    }
    if (r.maxAttempts() != null
        && (r.maxAttempts() < 1 || r.maxAttempts() > RetryPolicy.MAX_ATTEMPTS_LIMIT)) {
      errors.add(new FieldError("max_attempts", "must be between 1 and 100"));
    }
    if (r.timeout() != null && (r.timeout().toMillis() < 1 || r.timeout().compareTo(MAX_TIMEOUT) > 0)) {
      errors.add(new FieldError("timeout_ms", "must be between 1 ms and 24 hours"));
    }
    checkText(errors, "unique_key", r.uniqueKey(), MAX_KEY);
    if (r.correlationId() != null
        && !r.correlationId().isBlank()
        && !CorrelationIds.isValid(r.correlationId())) {
      // the header's rule: the id reaches log lines, MDC values and traces as it is
      errors.add(new FieldError("correlation_id", CorrelationIds.RULE));
    }
    checkText(errors, "parent_id", r.parentId(), MAX_ID);
    if (r.tags().size() > MAX_TAGS) {
      errors.add(new FieldError("tags", "at most " + MAX_TAGS + " tags"));
    } else if (r.tags().stream().anyMatch(t -> t == null || t.isBlank() || t.length() > MAX_TAG)) {
      errors.add(new FieldError("tags", "each tag must be 1-" + MAX_TAG + " characters"));
    } else if (!r.tags().stream().allMatch(JsonText::isWellFormed)) {
      errors.add(new FieldError("tags", NOT_UNICODE));
    }
    checkLimits(r, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }

    Instant now = config.clock().instant();
    Instant runAt = r.runAt() != null ? r.runAt() : now.plus(r.delay() == null ? Duration.ZERO : r.delay());
    return new NewJob(
        ids.next(),
        type,
        lane,
        runAt.isAfter(now) ? JobState.SCHEDULED : JobState.READY,
        payload,
        runAt,
        r.maxAttempts() != null ? r.maxAttempts() : config.retryFor(type).maxAttempts(),
        r.timeout() != null ? r.timeout() : config.timeoutFor(type),
        blankToNull(r.uniqueKey()),
        blankToNull(r.correlationId()),
        blankToNull(r.parentId()),
        r.tags(),
        now,
        r.limitKeys(),
        blankToNull(r.concurrencyKey()),
        r.cost() == null ? 0 : r.cost());
  }

  private static void checkLimits(JobRequest r, List<FieldError> errors) {
    if (r.limitKeys().size() > MAX_LIMIT_KEYS) {
      errors.add(new FieldError("limit_keys", "at most " + MAX_LIMIT_KEYS + " keys"));
    } else if (!r.limitKeys().stream().allMatch(k -> k != null && LIMIT_KEY.matcher(k).matches())) {
      errors.add(new FieldError("limit_keys", "each key " + LIMIT_KEY_RULE));
    } else if (r.limitKeys().stream().distinct().count() < r.limitKeys().size()) {
      errors.add(new FieldError("limit_keys", "must not repeat a key"));
    }
    if (r.concurrencyKey() != null && !r.concurrencyKey().isBlank() && !LIMIT_KEY.matcher(r.concurrencyKey()).matches()) {
      errors.add(new FieldError("concurrency_key", LIMIT_KEY_RULE));
    }
    if (r.cost() != null && (r.cost() < 0 || r.cost() > MAX_COST)) {
      errors.add(new FieldError("cost", "must be between 0 and " + MAX_COST));
    }
  }

  /** Validates every request of a batch, reporting failures as {@code jobs[i].field}. */
  List<NewJob> createAll(List<JobRequest> requests) {
    var jobs = new ArrayList<NewJob>(requests.size());
    var errors = new ArrayList<FieldError>();
    for (int i = 0; i < requests.size(); i++) {
      try {
        jobs.add(create(requests.get(i)));
      } catch (InvalidRequestException e) {
        errors.addAll(e.prefixed("jobs[" + i + "].").errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return jobs;
  }

  private String payloadJson(JobRequest r, List<FieldError> errors) {
    String json;
    try {
      if (r.payloadJson() != null) {
        JsonNode tree =
            config
                .mapper()
                .reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(r.payloadJson());
        if (tree == null || tree.isMissingNode()) {
          errors.add(new FieldError("payload", "is not valid JSON"));
          return "null";
        }
        List<FieldError> unstorable = JsonText.problems(tree, "payload");
        if (!unstorable.isEmpty()) {
          errors.addAll(unstorable);
          return "null";
        }
        json = tree.toString();
      } else {
        json = config.mapper().writeValueAsString(r.payload());
        if (!JsonText.isWellFormed(json)) {
          errors.add(new FieldError("payload", "holds text that is not valid Unicode (an unpaired UTF-16 surrogate)"));
          return "null";
        }
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      errors.add(new FieldError("payload", "is not valid JSON"));
      return "null";
    }
    if (json.getBytes(StandardCharsets.UTF_8).length > config.maxPayloadBytes()) {
      errors.add(new FieldError("payload", "is larger than " + config.maxPayloadBytes() + " bytes"));
    }
    return json;
  }

  /** At most {@code max} characters of valid Unicode text: a store keeps nothing else as given. */
  private static void checkText(List<FieldError> errors, String field, String value, int max) {
    if (value != null && value.length() > max) {
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    } else if (value != null && !JsonText.isWellFormed(value)) {
      errors.add(new FieldError(field, NOT_UNICODE));
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
