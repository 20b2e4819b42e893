package dev.vigil.server;

import dev.vigil.observe.metrics.JvmMeters;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.influx.InfluxConfig;
import io.micrometer.influx.InfluxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's meter registries, built from {@link MetricsSettings}: Prometheus (scraped at {@code
 * /metrics}) always, InfluxDB and OTLP when switched on, all fed the same meters. With one registry
 * the engine records straight into it; with more, through a composite. Push registries carry a
 * {@code node} tag (the node id) so nodes stay apart downstream; Prometheus adds its own {@code
 * instance} label instead. {@link #close()} publishes what the push registries still hold.
 */
final class ServerMeters implements AutoCloseable {
  /** Metrics off: nothing is recorded and {@code /metrics} answers 404. */
  static final ServerMeters OFF = new ServerMeters(null, null, List.of(), null);

  private final PrometheusMeterRegistry prometheus;
  private final MeterRegistry registry;
  private final List<MeterRegistry> pushers;
  private final JvmMeters jvm;

  private ServerMeters(PrometheusMeterRegistry prometheus, MeterRegistry registry, List<MeterRegistry> pushers, JvmMeters jvm) {
    this.prometheus = prometheus;
    this.registry = registry;
    this.pushers = pushers;
    this.jvm = jvm;
  }

  static ServerMeters start(MetricsSettings s, String nodeId) {
    if (!s.enabled()) {
      return OFF;
    }
    var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var pushers = new ArrayList<MeterRegistry>();
    if (s.influx().enabled()) {
      pushers.add(influx(s.influx(), nodeId));
    }
    if (s.otlp().enabled()) {
      pushers.add(otlp(s.otlp(), nodeId));
    }
    MeterRegistry registry = prometheus;
    if (!pushers.isEmpty()) {
      var composite = new CompositeMeterRegistry();
      composite.add(prometheus);
      pushers.forEach(composite::add);
      registry = composite;
    }
    JvmMeters jvm = s.jvm() ? JvmMeters.bindTo(registry) : null;
    return new ServerMeters(prometheus, registry, List.copyOf(pushers), jvm);
  }

  /** The registry {@code /metrics} scrapes; null when metrics are off. */
  PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  /** Where meters are recorded; null when metrics are off. */
  MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (jvm != null) {
      jvm.close();
    }
    pushers.forEach(MeterRegistry::close);
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private static MeterRegistry influx(MetricsSettings.Influx c, String nodeId) {
    Map<String, String> props = new HashMap<>();
    props.put("influx.enabled", "true");
    props.put("influx.uri", c.uri());
    props.put("influx.db", c.db());
    props.put("influx.step", c.step().toMillis() + "ms");
    props.put("influx.autoCreateDb", Boolean.toString(c.autoCreateDb()));
    putIfSet(props, "influx.org", c.org());
    putIfSet(props, "influx.bucket", c.bucket());
    putIfSet(props, "influx.token", c.token());
    putIfSet(props, "influx.userName", c.user());
    putIfSet(props, "influx.password", c.password());
    InfluxConfig config = props::get;
    var r = new InfluxMeterRegistry(config, Clock.SYSTEM);
    r.config().commonTags("node", nodeId);
    return r;
  }

  private static MeterRegistry otlp(MetricsSettings.Otlp c, String nodeId) {
    Map<String, String> props = new HashMap<>();
    props.put("otlp.url", c.url());
    props.put("otlp.step", c.step().toMillis() + "ms");
    props.put("otlp.resourceAttributes", "service.name=vigil,service.instance.id=" + nodeId);
    putIfSet(props, "otlp.headers", c.headers());
    OtlpConfig config = props::get;
    var r = new OtlpMeterRegistry(config, Clock.SYSTEM);
    r.config().commonTags("node", nodeId);
    return r;
  }

  private static void putIfSet(Map<String, String> props, String key, String value) {
    if (value != null && !value.isBlank()) {
      props.put(key, value);
    }
  }
}
