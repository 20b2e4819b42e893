package dev.vigil.observe;

/**
 * The {@code :} and {@code =} of a text that may end a name, in order, found with the JDK's fast
 * {@code indexOf}; each kind is searched once per stretch of text, so a whole walk is linear.
 */
final class Separators {
  private final String text;
  private int colon;
  private int equals;

  Separators(String text) {
    this.text = text;
    this.colon = text.indexOf(':');
    this.equals = text.indexOf('=');
  }

  /** The index of the first {@code :} or {@code =} at or after {@code from}, or -1. */
  int next(int from) {
    if (colon >= 0 && colon < from) {
      colon = text.indexOf(':', from);
    }
    if (equals >= 0 && equals < from) {
      equals = text.indexOf('=', from);
    }
    if (colon < 0) {
      return equals;
    }
    return equals < 0 ? colon : Math.min(colon, equals);
  }
}
