package dev.vigil.observe.alerts.spi;

import dev.vigil.observe.alerts.Alert;
import dev.vigil.observe.alerts.AlertEvent;
import dev.vigil.observe.alerts.Silence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the alert engine keeps what must outlive a node: the active alerts (pending, firing, and
 * resolved ones whose resolution is still to be told), the history of transitions, and the
 * silences. Shared by every node of a PostgreSQL cluster; only the leader writes alerts and
 * history, any node may write silences. The abstract {@code AlertStoreContract} in Vigil's
 * observe test kit is the definition of a correct store.
 */
public interface AlertStore {

  /** Every alert kept, in no particular order. */
  List<Alert> alerts();

  /**
   * Replaces the kept alerts with {@code alerts} and appends {@code events} to the history, in
   * one transaction.
   */
  void save(List<Alert> alerts, List<AlertEvent> events);

  /** Records what delivered notifications told of these alerts, if they are still kept. */
  void notified(List<Alert> alerts);

  /**
   * History events at or after {@code since}, newest first, at most {@code limit}, continuing
   * after the event with id {@code beforeId} when given.
   */
  List<AlertEvent> history(Instant since, int limit, Optional<Long> beforeId);

  /** Adds a silence. */
  void addSilence(Silence silence);

  /** Ends a silence at {@code now}; false when there is no such silence or it already ended. */
  boolean expireSilence(String id, Instant now);

  /** The silences that have not ended at {@code now}. */
  List<Silence> silences(Instant now);
}
