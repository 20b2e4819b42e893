package dev.vigil.observe.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A TCP connect to a dependency (Redis, Neo4j, a database). */
final class TcpProbe implements HealthCheck {
  private final String host;
  private final int port;
  private final Duration timeout;

  TcpProbe(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  @Override
  public CheckResult check() {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      double ms = Checks.round((System.nanoTime() - start) / 1e6, 3);
      return CheckResult.healthy("connected in " + ms + " ms").with("target", target()).with("connect_ms", ms);
    } catch (IOException e) {
      return CheckResult.unhealthy("cannot connect: " + e.getClass().getSimpleName())
          .with("target", target())
          .with("timeout_ms", timeout.toMillis());
    }
  }

  private String target() {
    return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
