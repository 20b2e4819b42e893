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
}
