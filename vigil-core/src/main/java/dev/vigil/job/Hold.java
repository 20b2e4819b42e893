package dev.vigil.job;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a ready job is not started yet although a worker is free: a limit of one of its keys is
 * reached, or the circuit breaker of its type (or key) is open. A held job stays {@code ready},
 * spends no attempt, and starts as soon as what holds it allows.
 *
 * @param by {@code limit} or {@code breaker}
 * @param key the limit key, concurrency key or breaker that holds it; the breaker of a job type is
 *     named {@code type:<job type>} ({@link #typeKey}), the breaker of a limit key by the key
 * @param until when it is looked at again at the latest (a rate limit's refill; a concurrency
 *     hold is released earlier, when a job of its key ends)
 */
public record Hold(String by, String key, Instant until) {
  /** Held by a rate, unit or concurrency limit. */
  public static final String LIMIT = "limit";

  /** Held by an open circuit breaker. */
  public static final String BREAKER = "breaker";

  /** How the circuit breaker of a job type is named: {@code type:} and the type. */
  public static String typeKey(String type) {
    return "type:" + type;
  }

  public Hold {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(until, "until");
  }

  /**
   * Whether this hold is the open circuit breaker of job type {@code type}: it then holds every
   * ready job of the type, and a store may hold them all at once.
   */
  public boolean holdsType(String type) {
    return BREAKER.equals(by) && key.equals(typeKey(type));
  }
}
