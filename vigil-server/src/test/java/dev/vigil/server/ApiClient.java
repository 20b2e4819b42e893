package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON client for tests, on the JDK's HttpClient. */
public final class ApiClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public ApiClient withToken(String t) {
    return new ApiClient(base, t);
  }

  public Reply get(String path) {
    return send(request(path).GET());
  }

  public Reply post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
  }

  /** A POST without a body, as cancel, retry, pause and resume take. */
  public Reply post(String path) {
    return send(request(path).POST(BodyPublishers.noBody()));
  }

  public Reply post(String path, String contentType, BodyPublisher body) {
    return send(request(path).header("Content-Type", contentType).POST(body));
  }

  public Reply delete(String path) {
    return send(request(path).DELETE());
  }

  public CompletableFuture<Reply> postAsync(String path, String json) {
    HttpRequest r = request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)).build();
    return HTTP.sendAsync(r, BodyHandlers.ofString()).thenApply(x -> new Reply(x.statusCode(), x.headers(), x.body()));
  }

  public HttpRequest.Builder request(String path) {
    var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  public Reply send(HttpRequest.Builder b) {
    try {
      var x = HTTP.send(b.build(), BodyHandlers.ofString());
      return new Reply(x.statusCode(), x.headers(), x.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An answer: status, headers, body text and its JSON. */
  public record Reply(int status, HttpHeaders headers, String text) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text, e);
      }
    }

    public String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }
}
