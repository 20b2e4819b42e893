package dev.vigil.server.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format, or in OpenMetrics when the
 * {@code Accept} header asks for {@code application/openmetrics-text} (as Prometheus itself does).
 */
final class MetricsApi {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry prometheus;

  /** @param prometheus the registry to scrape; null when metrics are off (404) */
  MetricsApi(PrometheusMeterRegistry prometheus) {
    this.prometheus = prometheus;
  }

  void scrape(Context ctx) {
    if (prometheus == null) {
      throw Problem.of(404, "not-found", "Not Found", "metrics are switched off (metrics.enabled: false)")
          .toException();
    }
    String accept = ctx.header("Accept");
    String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
    ctx.status(200).contentType(type).result(prometheus.scrape(type));
  }
}
