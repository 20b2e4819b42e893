package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on 127.0.0.1 for alert tests: keeps every JSON body POSTed to {@code /hook}
 * and answers 200, as Alertmanager's receivers do.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** Listens on a free port of 127.0.0.1. */
  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/hook", exchange -> {
        receiver.received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL to give a receiver in a rules file. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The bodies received so far, oldest first. */
  public List<JsonNode> received() {
    return received;
  }

  /** The notifications of alert {@code alertname} with status {@code firing} or {@code resolved}. */
  public List<JsonNode> notifications(String alertname, String status) {
    return received.stream()
        .filter(n -> n.get("groupLabels").path("alertname").asText().equals(alertname))
        .filter(n -> n.get("status").asText().equals(status))
        .toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
