package dev.vigil.observe.alerts;

import dev.vigil.observe.history.Durations;
import dev.vigil.observe.errors.ErrorGroup;
import dev.vigil.observe.errors.ErrorGroupPage;
import dev.vigil.observe.errors.ErrorGroupQuery;
import dev.vigil.observe.errors.ErrorGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code new_error_group} and {@code error_group_regressed}: holds, for each error group, while
 * its first occurrence (or its regression) is less than {@link #WINDOW} old. Read from the error
 * group store, so the leader sees groups that any node created.
 */
final class ErrorGroupCondition implements AlertCondition {
  /** How long an alert of a new (or regressed) group stays active. */
  static final Duration WINDOW = Duration.ofMinutes(15);

  private static final int MOST_PAGES = 4;

  private final ErrorGroups groups;
  private final boolean regressions;

  ErrorGroupCondition(ErrorGroups groups, boolean regressions) {
    this.groups = groups;
    this.regressions = regressions;
  }

  @Override
  public String kind() {
    return regressions ? "error_group_regressed" : "new_error_group";
  }

  @Override
  public String expr() {
    return regressions
        ? "an error group regressed in the last " + Durations.format(WINDOW)
        : "an error group first seen in the last " + Durations.format(WINDOW);
  }

  @Override
  public List<Observation> evaluate(Instant now) {
    Instant since = now.minus(WINDOW);
    List<Observation> out = new ArrayList<>();
    ErrorGroupQuery query = ErrorGroupQuery.all().withSince(since).withLimit(ErrorGroupQuery.MAX_LIMIT);
    String cursor = null;
    for (int page = 0; page < MOST_PAGES; page++) {
      ErrorGroupPage found = groups.find(query.withCursor(cursor));
      for (ErrorGroup g : found.groups()) {
        Instant at = regressions ? (g.regressed() ? g.regressedAt() : null) : g.firstSeen();
        if (at != null && !at.isBefore(since)) {
          out.add(
              new Observation(
                  Map.of("error_group", g.id(), "error_type", java.util.Objects.toString(g.errorType(), "")),
                  g.count(),
                  true));
        }
      }
      cursor = found.nextCursor();
      if (cursor == null) {
        break;
      }
    }
    return out;
  }
}
