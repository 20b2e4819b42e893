package dev.vigil.store;

import dev.vigil.VigilException;

/**
 * The store could not do what was asked: the database is unreachable, a statement timed out, the
 * file is not writable. Nothing the caller was told succeeded did so; the operation may be
 * retried.
 */
public class StoreException extends VigilException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
