package dev.vigil.observe.errors;

import java.util.Locale;

/** Where an operator left an error group. */
public enum ErrorStatus {
  /** Needs a look: new, regressed, or set back by hand. */
  UNRESOLVED,
  /** Fixed, as far as anyone knows: it becomes unresolved and regressed when it happens again. */
  RESOLVED,
  /** Known and accepted: still counted, never regresses. */
  IGNORED;

  /** The lower-case name used on the wire and in the stores. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException if {@code name} is not a status
   */
  public static ErrorStatus fromWire(String name) {
    return valueOf(name.strip().toUpperCase(Locale.ROOT));
  }
}
