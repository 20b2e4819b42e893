package dev.vigil.server;

import dev.vigil.Vigil;
import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.errors.ErrorGroups;
import dev.vigil.server.http.Observability;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server runs beside the engine to tell its operator how things go: the process's energy
 * meters, error groups, metric history, and the alerts evaluated over both. Started after the
 * engine, in that order (alerts read the others), and closed in the reverse order while the store
 * is still open.
 */
final class OperatorLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorLoop.class);

  private final ErrorGroups errors;
  private final ServerHistory history;
  private final ServerAlerts alerts;
  private final ServerCarbon carbon;

  private OperatorLoop(ServerCarbon carbon, ErrorGroups errors, ServerHistory history, ServerAlerts alerts) {
    this.carbon = carbon;
    this.errors = errors;
    this.history = history;
    this.alerts = alerts;
  }

  /**
   * Starts error grouping, history and alerting as the configuration says.
   *
   * @param url the server's address, for notifications; asked when one is sent
   */
  static OperatorLoop start(ServerConfig config, Vigil vigil, ServerMeters meters, Supplier<String> url) {
    ServerCarbon carbon = ServerCarbon.start(config, meters.registry());
    ErrorGroups errors = errorGroups(config, vigil, meters);
    ServerHistory history = ServerHistory.OFF;
    try {
      history = ServerHistory.start(config, vigil, meters.registry());
      ServerAlerts alerts = ServerAlerts.start(config, vigil, meters.registry(), history.history(), errors, url);
      return new OperatorLoop(carbon, errors, history, alerts);
    } catch (RuntimeException e) {
      new OperatorLoop(carbon, errors, history, ServerAlerts.OFF).close();
      throw e;
    }
  }

  /** What the HTTP API serves of this loop, with the metrics and health settings of {@code c}. */
  Observability observability(ServerConfig c, ServerMeters meters) {
    Path dataDir = c.store() == ServerConfig.StoreKind.SQLITE ? c.dataDir() : null;
    return new Observability(
        meters.prometheus(), meters.registry(), c.health(), dataDir, errors, history.history(), alerts.engine(),
        carbon.process() == null ? null : carbon::process);
  }

  ErrorGroups errors() {
    return errors;
  }

  ServerHistory history() {
    return history;
  }

  ServerAlerts alerts() {
    return alerts;
  }

  ServerCarbon carbon() {
    return carbon;
  }

  /**
   * Stops alerting, then history (after its last sample), then error grouping (writing what is
   * queued), then the energy sampler.
   */
  @Override
  public void close() {
    alerts.close();
    history.close();
    if (errors != null) {
      errors.close();
    }
    carbon.close();
  }

  /**
   * Groups this node's failed attempts into the store's error groups ({@code /api/v1/errors}); null
   * when the engine runs on a store that keeps none (a store given by a customiser).
   */
  private static ErrorGroups errorGroups(ServerConfig config, Vigil vigil, ServerMeters meters) {
    ErrorGroupStore store = Stores.errorGroups(vigil.store());
    if (store == null) {
      log.warn("the engine's store keeps no error groups; error grouping is off");
      return null;
    }
    ErrorGroups.Builder b =
        ErrorGroups.builder(store).fingerprinter(config.errors().fingerprinter()).clock(vigil.clock());
    if (meters.registry() != null) {
      b.meterRegistry(meters.registry());
    }
    return b.start().attach(vigil);
  }
}
