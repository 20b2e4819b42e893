package dev.vigil;

/** The root of Vigil's own unchecked exceptions, so callers can catch them in one place. */
public class VigilException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VigilException(String message) {
    super(message);
  }

  public VigilException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * For answers that are not faults, thrown often under load (a refused enqueue): {@code false}
   * for {@code writableStackTrace} spares building a stack trace nobody reads.
   */
  protected VigilException(String message, boolean writableStackTrace) {
    super(message, null, false, writableStackTrace);
  }
}
