package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB and OTLP are switched on by configuration alone: a real HTTP endpoint on 127.0.0.1
 * receives what the registries push, alongside the Prometheus scrape.
 */
class PushRegistriesTest {
  @TempDir Path dataDir;
  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private VigilServer server;

  @BeforeEach
  void listen() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        x -> {
          byte[] body = x.getRequestBody().readAllBytes();
          if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
          }
          String type = x.getRequestHeaders().getFirst("Content-Type");
          received.add(x.getRequestMethod() + " " + x.getRequestURI() + " " + type + "\n"
              + new String(body, StandardCharsets.ISO_8859_1));
          x.sendResponseHeaders(x.getRequestURI().getPath().equals("/query") ? 200 : 204, -1);
          x.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    receiver.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort();
  }

  private VigilServer start(MetricsSettings metrics) {
    server =
        VigilServer.start(
            ServerConfig.builder().port(0).dataDir(dataDir).nodeId("node-a").metrics(metrics).build());
    return server;
  }

  @Test
  void influx_line_protocol_is_pushed_every_step_with_the_node_tag() {
    var influx =
        new MetricsSettings.Influx(true, base(), "vigil", null, null, null, null, null, Duration.ofSeconds(1), true);
    start(new MetricsSettings(true, true, influx, MetricsSettings.Otlp.OFF));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> received.stream().anyMatch(r -> r.startsWith("POST /write?") && r.contains("vigil_worker_slots,")));
    String write = received.stream().filter(r -> r.contains("vigil_worker_slots,")).findFirst().orElseThrow();
    assertThat(write).contains("db=vigil").contains("node=node-a");
    assertThat(server.vigil()).isNotNull();
    assertThat(new dev.vigil.server.ApiClient(server.url(), null).get("/metrics").text()).contains("vigil_worker_slots");
  }

  @Test
  void otlp_metrics_are_pushed_every_step_as_protobuf() {
    var otlp = new MetricsSettings.Otlp(true, base() + "/v1/metrics", Duration.ofSeconds(1), null);
    start(new MetricsSettings(true, false, MetricsSettings.Influx.OFF, otlp));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> received.stream().anyMatch(r -> r.startsWith("POST /v1/metrics application/x-protobuf")));
    String push = received.stream().filter(r -> r.startsWith("POST /v1/metrics")).findFirst().orElseThrow();
    assertThat(push).contains("vigil.worker.slots").contains("node-a");
  }

  @Test
  void metrics_switched_off_record_nothing_and_serve_no_scrape() {
    start(new MetricsSettings(false, false, MetricsSettings.Influx.OFF, MetricsSettings.Otlp.OFF));

    assertThat(new dev.vigil.server.ApiClient(server.url(), null).get("/metrics").status()).isEqualTo(404);
  }
}
