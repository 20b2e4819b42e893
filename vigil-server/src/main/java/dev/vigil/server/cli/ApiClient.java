package dev.vigil.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Talks to a Vigil server's HTTP API (see {@code API.md}) with the JDK's {@link HttpClient}. Every
 * call answers the parsed body together with its raw text (which {@code --json} prints as it came),
 * or throws: {@link ApiException} when the server answers an error status, {@link CliException}
 * when it cannot be reached.
 */
final class ApiClient {
  static final String API = "/api/v1";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param url the server, e.g. {@code http://127.0.0.1:8080}
   * @throws IllegalArgumentException if {@code url} is not an http(s) URL with a host
   * @param token sent as {@code Authorization: Bearer}, or {@code null}
   */
  ApiClient(String url, String token, Duration timeout) {
    this.base = baseUri(url);
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** A response that succeeded: its raw body and the body as JSON. */
  record Response(int status, String body, JsonNode json) {}

  // ---- the API, one method per route the CLI uses

  Response enqueue(JsonNode job) {
    return post(API + "/jobs", job);
  }

  Response job(String id) {
    return get(API + "/jobs/" + segment(id), Map.of());
  }

  /** Lists jobs; {@code query} holds the API's filters, null values left out. */
  Response jobs(Map<String, String> query) {
    return get(API + "/jobs", query);
  }

  Response cancel(String id) {
    return post(API + "/jobs/" + segment(id) + "/cancel", null);
  }

  Response retry(String id) {
    return post(API + "/jobs/" + segment(id) + "/retry", null);
  }

  Response lanes() {
    return get(API + "/lanes", Map.of());
  }

  Response pause(String lane) {
    return post(API + "/lanes/" + segment(lane) + "/pause", null);
  }

  Response resume(String lane) {
    return post(API + "/lanes/" + segment(lane) + "/resume", null);
  }

  Response schedules() {
    return get(API + "/schedules", Map.of());
  }

  Response nodes() {
    return get(API + "/nodes", Map.of());
  }

  Response limits() {
    return get(API + "/limits", Map.of());
  }

  /** Energy and carbon of a range; {@code query} holds from and to, null values left out. */
  Response carbon(Map<String, String> query) {
    return get(API + "/carbon", query);
  }

  /** Lists error groups; {@code query} holds the API's filters, null values left out. */
  Response errors(Map<String, String> query) {
    return get(API + "/errors", query);
  }

  Response errorGroup(String id) {
    return get(API + "/errors/" + segment(id), Map.of());
  }

  /** {@code action}: resolve, ignore or unresolve. */
  Response errorStatus(String id, String action, JsonNode body) {
    return post(API + "/errors/" + segment(id) + "/" + action, body);
  }

  Response alerts() {
    return get(API + "/alerts", Map.of());
  }

  /** The alert history; {@code query} holds since, limit and cursor, null values left out. */
  Response alertHistory(Map<String, String> query) {
    return get(API + "/alerts/history", query);
  }

  Response alertRules() {
    return get(API + "/alerts/rules", Map.of());
  }

  Response silences() {
    return get(API + "/alerts/silences", Map.of());
  }

  Response silence(JsonNode body) {
    return post(API + "/alerts/silences", body);
  }

  /** Ends a silence; the server answers 204 with no body. */
  Response unsilence(String id) {
    return send(request(API + "/alerts/silences/" + segment(id)).DELETE().build());
  }

  /** An empty JSON object to fill. */
  static com.fasterxml.jackson.databind.node.ObjectNode object() {
    return JSON.createObjectNode();
  }

  Response stats() {
    return get(API + "/stats", Map.of());
  }

  // ---- plumbing

  Response get(String path, Map<String, String> query) {
    return send(request(path + queryString(query)).GET().build());
  }

  Response post(String path, JsonNode body) {
    String text = body == null ? "{}" : body.toString();
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .build());
  }

  /** The server's address as given, for messages. */
  String url() {
    return base.toString();
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    var b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(timeout)
            .header("Accept", "application/json, application/problem+json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Response send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILURE, "cannot reach " + url() + " (" + reason(e) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILURE, "interrupted while calling " + url(), e);
    }
    JsonNode json = parse(response.body());
    if (response.statusCode() >= 400) {
      throw ApiException.from(response.statusCode(), json, response.body());
    }
    if (json == null) {
      throw new CliException(
          CliException.FAILURE,
          "unexpected answer from " + url() + " (status " + response.statusCode() + ", not JSON)");
    }
    return new Response(response.statusCode(), response.body(), json);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A short, lower-case reason for a failed connection, e.g. "connection refused". */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer within the timeout";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "unknown host";
      }
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static URI baseUri(String url) {
    String u = url == null ? "" : url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("not a server URL (want http://host:port): " + url);
    }
    return uri;
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String queryString(Map<String, String> query) {
    var joiner = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (k, v) -> {
          if (v != null) {
            joiner.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return joiner.toString();
  }
}
