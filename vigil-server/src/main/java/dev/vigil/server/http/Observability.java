package dev.vigil.server.http;

import dev.vigil.carbon.ProcessEnergy;
import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.errors.ErrorGroups;
import dev.vigil.observe.health.HealthSettings;
import dev.vigil.observe.history.MetricHistory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the HTTP layer shows of metrics and health.
 *
 * @param prometheus the registry {@code GET /metrics} scrapes, or {@code null}: metrics are off
 *     and {@code /metrics} answers 404
 * @param registry where the HTTP request meters go (the Prometheus registry, or a composite of it
 *     and push registries), or {@code null} for none
 * @param health thresholds of the standard checks and the dependency probes of {@code /health}
 * @param dataDir the directory whose free space {@code /health/detailed} checks, or {@code null}
 *     when the data lives elsewhere (PostgreSQL)
 * @param errors the error groups {@code /api/v1/errors} serves and job JSON links to, or {@code
 *     null}: grouping is off
 * @param history the metric history {@code /api/v1/metrics/*} answers from, or {@code null}: history
 *     is off and those routes answer 404
 * @param alerts the alert engine {@code /api/v1/alerts*} answers from (and whose configuration
 *     error {@code /health/detailed} reports), or {@code null}: alerting is off and those routes
 *     answer 404
 * @param process this node's energy and carbon so far ({@code /api/v1/carbon} shows how it is
 *     measured), or {@code null}: not sampled
 */
public record Observability(
    PrometheusMeterRegistry prometheus,
    MeterRegistry registry,
    HealthSettings health,
    Path dataDir,
    ErrorGroups errors,
    MetricHistory history,
    AlertEngine alerts,
    Supplier<ProcessEnergy> process) {

  /** No metrics, the default health thresholds, no disk check, no error grouping, history or alerts. */
  public static final Observability NONE = new Observability(null, null, HealthSettings.DEFAULTS, null);

  public Observability {
    Objects.requireNonNull(health, "health");
  }

  /** Without error grouping, history, alerts or energy: their routes answer 404. */
  public Observability(PrometheusMeterRegistry prometheus, MeterRegistry registry, HealthSettings health, Path dataDir) {
    this(prometheus, registry, health, dataDir, null, null, null, null);
  }
}
