package dev.vigil.server.http;

import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.JobRejectedException;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem answer: {@code type} (a stable slug under {@link #TYPE_BASE}), {@code
 * title}, {@code status}, {@code detail}, the failing {@code errors} of a validation problem, and
 * response headers such as {@code Retry-After}.
 */
record Problem(int status, String slug, String title, String detail, List<FieldError> errors, Map<String, String> headers) {

  /** The prefix of every problem type URI. */
  static final String TYPE_BASE = "https://vigil.dev/problems/";

  Problem {
    errors = List.copyOf(errors);
    headers = Map.copyOf(headers);
  }

  static Problem of(int status, String slug, String title, String detail) {
    return new Problem(status, slug, title, detail, List.of(), Map.of());
  }

  static Problem invalid(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + " " + errors.get(0).message()
            : errors.size() + " fields are invalid";
    return new Problem(400, "invalid-request", "Invalid request", detail.trim(), errors, Map.of());
  }

  static Problem tooLarge(String detail, List<FieldError> errors) {
    return new Problem(413, "payload-too-large", "Payload too large", detail, errors, Map.of());
  }

  /** The store did not answer; nothing was changed. */
  static Problem storeUnavailable() {
    return new Problem(
        503, "store-unavailable", "Service unavailable", "the job store is not reachable; nothing was changed, try again",
        List.of(), Map.of("Retry-After", "2"));
  }

  /** 429 {@code rate-limited}: try again after {@code retryAfter} (whole seconds, at least 1). */
  static Problem rateLimited(String detail, java.time.Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new Problem(429, "rate-limited", "Too many requests", detail, List.of(), Map.of("Retry-After", Long.toString(seconds)));
  }

  /**
   * An enqueue refused to protect the engine: 429 {@code lane-full} for a lane at its {@code
   * max_ready}, otherwise 503 {@code overloaded}; both with {@code Retry-After}.
   */
  static Problem rejected(JobRejectedException e) {
    String retryAfter = Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
    return e.reason() == JobRejectedException.Reason.LANE_FULL
        ? new Problem(429, "lane-full", "Lane full", e.getMessage(), List.of(), Map.of("Retry-After", retryAfter))
        : new Problem(503, "overloaded", "Overloaded", e.getMessage(), List.of(), Map.of("Retry-After", retryAfter));
  }

  static Problem unavailable(String detail) {
    return new Problem(503, "unavailable", "Service unavailable", detail, List.of(), Map.of("Retry-After", "5"));
  }

  String type() {
    return TYPE_BASE + slug;
  }

  /** This problem as an exception, to throw from a handler. */
  ApiProblem toException() {
    return new ApiProblem(this);
  }
}
