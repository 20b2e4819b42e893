package dev.vigil.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed number of connections for an open-loop generator, as a producer service's HTTP pool
 * has: {@code size} JDK {@link HttpClient}s (HTTP/1.1, keep-alive), each carrying one request at
 * a time, so each holds one connection. A request that finds every connection busy waits for one;
 * the generator counts that wait in its latency (from when the request was due), as {@code wrk2}
 * does with its fixed connections. Without the bound, a generator that does not wait for answers
 * opens a new connection for every request outstanding, and a slow moment of the server turns
 * into a storm of connection attempts that measures the operating system's accept queue instead.
 */
final class ClientPool implements AutoCloseable {
  private final BlockingQueue<HttpClient> idle;

  ClientPool(int size) {
    idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      idle.add(BenchHttp.client());
    }
  }

  /** Sends {@code request} on the first free connection, waiting for one if none is. */
  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpClient http = idle.take();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } finally {
      idle.add(http);
    }
  }

  @Override
  public void close() {
    idle.forEach(HttpClient::close);
  }
}
