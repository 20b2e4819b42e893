package dev.vigil.server;

import dev.vigil.Vigil;
import dev.vigil.observe.duty.DutyRunner;
import dev.vigil.observe.history.HistoryPurge;
import dev.vigil.observe.history.HistoryRollup;
import dev.vigil.observe.history.HistorySampler;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.observe.history.MetricHistory;
import dev.vigil.observe.history.spi.HistoryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's metric history: the sampler of its meter registry (every node), the roll-up and the
 * purge (the leader only, by the engine's leadership), run by one {@link DutyRunner}, and the query
 * engine the HTTP API answers from. Off when {@code history.enabled} is false, and when metrics
 * are off (there is nothing to sample).
 */
final class ServerHistory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerHistory.class);

  static final ServerHistory OFF = new ServerHistory(null, null, null, null);

  private final MetricHistory history;
  private final DutyRunner duties;
  private final HistorySampler sampler;
  private final AtomicInteger up;

  private ServerHistory(MetricHistory history, DutyRunner duties, HistorySampler sampler, AtomicInteger up) {
    this.history = history;
    this.duties = duties;
    this.sampler = sampler;
    this.up = up;
  }

  /** Starts sampling {@code registry} into the engine's store, unless the configuration says not to. */
  static ServerHistory start(ServerConfig config, Vigil vigil, MeterRegistry registry) {
    HistorySettings s = config.history();
    if (!s.enabled()) {
      return OFF;
    }
    if (registry == null) {
      log.info("metric history is off: it samples the metrics, and metrics.enabled is false");
      return OFF;
    }
    HistoryStore store = Stores.history(vigil.store());
    AtomicInteger up = new AtomicInteger(1);
    Gauge.builder("vigil.node.up", up, AtomicInteger::get)
        .description("1 while this node runs; 0 in its last history sample when it stops cleanly (VigilNodeDown tells the two apart)")
        .register(registry);
    var sampler = HistorySampler.builder(registry, store).node(config.nodeId()).settings(s).build();
    var duties =
        DutyRunner.builder()
            .leader(vigil::isLeader)
            .duty(sampler)
            .duty(new HistoryRollup(store, s))
            .duty(new HistoryPurge(store, s))
            .build()
            .start();
    return new ServerHistory(MetricHistory.of(store, s, InstantSource.system()), duties, sampler, up);
  }

  /** The query engine; null when history is off. */
  MetricHistory history() {
    return history;
  }

  /** Runs the history duties that are due now (the sampler, and the leader's roll-up and purge). */
  void runDueNow() {
    if (duties != null) {
      duties.runDueNow();
    }
  }

  /**
   * Stops sampling, after a last sample that says this node stopped cleanly ({@code vigil_node_up}
   * 0), so that no alert takes it for a node that died; the store stays open (it closes with the
   * engine).
   */
  @Override
  public void close() {
    if (duties != null) {
      duties.close();
      up.set(0);
      try {
        sampler.sampleFinal();
      } catch (RuntimeException e) {
        log.warn("the last history sample could not be written: {}", e.toString());
      }
    }
  }
}
