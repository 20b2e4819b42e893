package dev.vigil.observe.errors;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where error groups are kept: the SPI the SQL stores implement ({@code SqliteJobStore.errorGroups()},
 * {@code PostgresJobStore.errorGroups()}), defined by the contract kit {@code ErrorGroupStoreContract}
 * in this module's test-jar. Several nodes may write to one store at once; the store makes each
 * group's creation and each regression happen once.
 *
 * <p>Times are stored to the millisecond. {@code now} parameters set the 24-hour window of {@link
 * ErrorGroup#count24h()} and {@link ErrorGroup#hourly()}; nothing reads the real clock.
 */
public interface ErrorGroupStore {

  /**
   * Records occurrences, in one transaction: a group not seen before is created from its first
   * occurrence in the batch (status {@code unresolved}); every group seen gets its counts, last
   * seen, job types, lanes and samples; a {@code resolved} group becomes {@code unresolved} and
   * regressed (an {@code ignored} one stays ignored); the last {@value ErrorOccurrence#KEPT}
   * occurrences of each group are kept; hourly counts older than two days are deleted.
   *
   * @return the groups this call created or regressed, as it left them (read at {@code now})
   */
  List<ErrorGroupEvent> record(List<ErrorOccurrence> occurrences, Instant now);

  /** The group, read at {@code now}, or empty. */
  Optional<ErrorGroup> get(String id, Instant now);

  /** A page of groups, newest first (last seen, then id), read at {@code now}. */
  ErrorGroupPage find(ErrorGroupQuery query, Instant now);

  /** The group's last occurrences, newest first, at most {@code limit} (and {@value ErrorOccurrence#KEPT}). */
  List<StoredOccurrence> occurrences(String id, int limit);

  /**
   * Sets a group's status: {@code resolved} (with when and by whom; clears {@code regressed}),
   * {@code ignored}, or {@code unresolved} (from now). Setting the status it already has changes
   * nothing.
   *
   * @param by who asked, kept while the group is resolved
   * @return the group before and after, or empty when there is no such group
   */
  Optional<StatusChange> setStatus(String id, ErrorStatus status, String by, Instant now);

  /** A group before and after a status change. */
  record StatusChange(ErrorGroup before, ErrorGroup after) {}

  /**
   * An occurrence as the store kept it.
   *
   * @param message the redacted message of the error, or null
   */
  record StoredOccurrence(
      String jobId, int attempt, Instant at, String jobType, String lane, String outcome, String errorType,
      String message) {}
}
