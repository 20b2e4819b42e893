package dev.vigil.observe.errors;

import java.time.Instant;
import java.util.Objects;

/**
 * A group was created or regressed: what an alert rule {@code new_error_group} or {@code
 * error_group_regressed} fires on. Each happens once in a cluster: the store decides, in the write
 * that made it so, on whichever node grouped the occurrence.
 *
 * @param group the group as that write left it
 * @param at when it happened: the time of the occurrence that created or regressed it
 */
public record ErrorGroupEvent(Kind kind, ErrorGroup group, Instant at) {

  /** What happened to the group. */
  public enum Kind {
    /** A fingerprint seen for the first time. */
    NEW_ERROR_GROUP,
    /** A resolved group happened again: it is unresolved and regressed. */
    ERROR_GROUP_REGRESSED;

    /** {@code new_error_group} or {@code error_group_regressed}: the alert rule's name. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ErrorGroupEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(at, "at");
  }
}
