package dev.vigil.observe.errors;

import java.util.List;

/** A page of groups, newest first; {@code nextCursor} is null on the last page. */
public record ErrorGroupPage(List<ErrorGroup> groups, String nextCursor) {
  public ErrorGroupPage {
    groups = List.copyOf(groups);
  }
}
