package dev.vigil.server;

import dev.vigil.Vigil;
import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.alerts.RuleBinder;
import dev.vigil.observe.duty.DutyRunner;
import dev.vigil.observe.duty.PeriodicDuty;
import dev.vigil.observe.errors.ErrorGroups;
import dev.vigil.observe.history.Durations;
import dev.vigil.observe.history.MetricHistory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's alerting: an {@link AlertEngine} over the store's alert tables, the built-in rules
 * and the rules file (re-read within seconds of a change: {@link RulesFileWatch}), and the leader's
 * evaluation every {@code alerts.interval}. Every node serves the alerts API from the store; only
 * the leader evaluates and notifies, so a firing alert is sent once per cluster.
 */
final class ServerAlerts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerAlerts.class);
  private static final int DELIVERY_TRIES = 5;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  static final ServerAlerts OFF = new ServerAlerts(null, null);

  private final AlertEngine engine;
  private final DutyRunner duties;

  private ServerAlerts(AlertEngine engine, DutyRunner duties) {
    this.engine = engine;
    this.duties = duties;
  }

  /**
   * Starts evaluating, unless {@code alerts.enabled} is false.
   *
   * @param url this server's address as notifications give it, known once it listens
   */
  static ServerAlerts start(
      ServerConfig config, Vigil vigil, MeterRegistry registry, MetricHistory history, ErrorGroups errors,
      Supplier<String> url) {
    AlertSettings s = config.alerts();
    if (!s.enabled()) {
      return OFF;
    }
    var engine = new AlertEngine(
        Stores.alerts(vigil.store()), InstantSource.system(), registry == null ? new SimpleMeterRegistry() : registry, url,
        DELIVERY_TRIES, FIRST_BACKOFF);
    var watch = new RulesFileWatch(s.file(), engine, new RuleBinder(history, errors));
    watch.run(null);
    var duties = DutyRunner.builder()
        .leader(vigil::isLeader)
        .duty(watch)
        .duty(evaluation(engine, s.interval()))
        .build()
        .start();
    log.info("alerts: {} rules ({} from {}), evaluated every {} on the leader",
        engine.rules().size(), watch.fileRules(), s.file(), Durations.format(s.interval()));
    return new ServerAlerts(engine, duties);
  }

  /** The engine; null when alerting is off. */
  AlertEngine engine() {
    return engine;
  }

  /** Runs what is due now (a re-read of the rules file, the leader's evaluation), for tests and tools. */
  void runDueNow() {
    if (duties != null) {
      duties.runDueNow();
    }
  }

  @Override
  public void close() {
    if (duties != null) {
      duties.close();
      engine.close();
    }
  }

  private static PeriodicDuty evaluation(AlertEngine engine, Duration interval) {
    return new PeriodicDuty() {
      @Override
      public String name() {
        return "alert-evaluation";
      }

      @Override
      public Duration period() {
        return interval;
      }

      @Override
      public boolean leaderOnly() {
        return true;
      }

      @Override
      public void run(java.time.Instant now) {
        engine.evaluate();
      }
    };
  }
}
