package dev.vigil.job;

/**
 * Thrown by a handler to say that retrying cannot help (bad input, a refused request): the job
 * goes to {@code dead} at once, whatever attempts it has left.
 */
public class NonRetryableException extends Exception {
  private static final long serialVersionUID = 1L;

  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
