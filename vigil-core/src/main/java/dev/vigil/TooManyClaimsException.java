package dev.vigil;

import java.time.Duration;

/**
 * A remote claim was refused because too many claims already wait for work on this node, in all
 * or for its worker id. Nothing was leased; the worker may claim again after {@link #retryAfter()}.
 */
public final class TooManyClaimsException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  TooManyClaimsException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** How long the worker should wait before it claims again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
