package dev.vigil.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which meter registries the server feeds: Prometheus at {@code GET /metrics} always (unless
 * metrics are off), and, switched on by configuration, an InfluxDB and an OTLP registry that push
 * the same meters every {@code step}. Keys under {@code metrics.*} in {@code
 * docs/configuration.md}; the meters themselves are listed in {@code docs/metrics.md}.
 *
 * @param enabled whether the engine and the HTTP layer record meters and {@code /metrics} is served
 * @param jvm whether the JVM, process and system meters are bound
 */
public record MetricsSettings(boolean enabled, boolean jvm, Influx influx, Otlp otlp) {

  /** On, with the JVM meters, Prometheus only. */
  public static final MetricsSettings DEFAULTS = new MetricsSettings(true, true, Influx.OFF, Otlp.OFF);

  public MetricsSettings {
    influx = influx == null ? Influx.OFF : influx;
    otlp = otlp == null ? Otlp.OFF : otlp;
  }

  /**
   * The secrets these settings hold, for the redactor to mask wherever they appear: the InfluxDB
   * token and password and the value of every OTLP header. Nulls are left out.
   */
  public List<String> secrets() {
    var out = new ArrayList<String>();
    if (influx.token() != null) {
      out.add(influx.token());
    }
    if (influx.password() != null) {
      out.add(influx.password());
    }
    if (otlp.headers() != null) {
      for (String header : otlp.headers().split(",")) {
        int eq = header.indexOf('=');
        if (eq >= 0) {
          out.add(header.substring(eq + 1).strip());
        }
      }
    }
    return out;
  }

  /**
   * Pushing to InfluxDB (1.x with {@code db}, user and password; 2.x with {@code org}, {@code
   * bucket} and {@code token}).
   */
  public record Influx(
      boolean enabled,
      String uri,
      String db,
      String org,
      String bucket,
      String token,
      String user,
      String password,
      Duration step,
      boolean autoCreateDb) {
    public static final Influx OFF =
        new Influx(false, "http://localhost:8086", "vigil", null, null, null, null, null, Duration.ofSeconds(10), true);

    /** Without the token and password. */
    @Override
    public String toString() {
      return "Influx[enabled=" + enabled + ", uri=" + uri + ", db=" + db + ", org=" + org + ", bucket=" + bucket
          + ", token=" + (token == null ? "none" : "***") + ", user=" + user
          + ", password=" + (password == null ? "none" : "***") + ", step=" + step + ", autoCreateDb=" + autoCreateDb
          + "]";
    }
  }

  /** Pushing to an OpenTelemetry collector over OTLP/HTTP. */
  public record Otlp(boolean enabled, String url, Duration step, String headers) {
    public static final Otlp OFF = new Otlp(false, "http://localhost:4318/v1/metrics", Duration.ofSeconds(60), null);

    /** Without the headers, which usually carry credentials. */
    @Override
    public String toString() {
      return "Otlp[enabled=" + enabled + ", url=" + url + ", step=" + step + ", headers="
          + (headers == null ? "none" : "***") + "]";
    }
  }
}
