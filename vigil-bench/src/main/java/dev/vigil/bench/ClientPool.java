package dev.vigil.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;

/**
 * A fixed number of connections for an open-loop generator, as a producer service's HTTP pool
 * has: one JDK {@link HttpClient} (HTTP/1.1, keep-alive) that carries at most {@code size}
 * requests at once, so it never holds more than {@code size} connections (it reuses an idle one
 * before opening another). A request that finds every connection busy waits for one; the generator
 * counts that wait in its latency (from when the request was due), as {@code wrk2} does with its
 * fixed connections. Without the bound, a generator that does not wait for answers opens a new
 * connection for every request outstanding, and a slow moment of the server turns into a storm
 * of connection attempts that measures the operating system's accept queue instead.
 */
final class ClientPool implements AutoCloseable {
  private final HttpClient http = BenchHttp.client();
  private final Semaphore connections;

  ClientPool(int size) {
    connections = new Semaphore(size, true);
  }

  /** Sends {@code request} as soon as a connection is free. */
  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    connections.acquire();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } finally {
      connections.release();
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
