package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.server.http.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Answers the HTTP server gives before any route runs (a request it cannot parse, headers too
 * large) are problem+json like every other error, and every answer tells browsers and caches not
 * to sniff or keep it.
 */
class ProtocolErrorsTest extends ServerTestSupport {
  private static final String TOKEN = "s3cret-token-0123456789";

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.apiToken(TOKEN);
  }

  private Answer raw(String request) {
    return RawHttp.send(server.port(), request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void assertProblem(Answer answer, int status) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
    JsonNode p = answer.json();
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("type").asText()).startsWith("https://vigil.dev/problems/");
    assertThat(p.get("title").asText()).isNotBlank();
    assertThat(p.get("detail").asText()).isNotBlank();
    assertThat(answer.body()).doesNotContain("<html", "Jetty");
    assertHardened(answer.header("X-Content-Type-Options"), answer.header("Cache-Control"));
  }

  private static void assertHardened(String contentTypeOptions, String cacheControl) {
    assertThat(contentTypeOptions).isEqualTo("nosniff");
    assertThat(cacheControl).contains("no-store");
  }

  @Test
  void a_request_line_that_cannot_be_parsed_is_a_400_problem() {
    assertProblem(raw("GARBAGE\r\n\r\n"), 400);
    assertProblem(raw("GET /api/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n"), 400);
  }

  @Test
  void a_path_that_cannot_be_decoded_is_a_400_problem() {
    assertProblem(raw("GET /api/v1/jobs/% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 400);
  }

  @Test
  void a_host_that_cannot_be_parsed_is_a_400_problem() {
    assertProblem(raw("GET /health/live HTTP/1.1\r\nHost: localhost:http\r\nConnection: close\r\n\r\n"), 400);
  }

  @Test
  void headers_too_large_are_a_431_problem() {
    String big = "x".repeat(20_000);

    assertProblem(raw("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + "\r\n\r\n"), 431);
  }

  @Test
  void a_request_line_too_long_is_a_problem() {
    Answer answer = raw("GET /health/live?q=" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(answer.status()).isIn(414, 431);
    assertProblem(answer, answer.status());
  }

  @Test
  void every_answer_says_nosniff_and_no_store() {
    var anonymous = api.withToken(null);
    List<Reply> replies =
        List.of(
            api.get("/api/v1/stats"),
            api.get("/api/v1/jobs"),
            api.get("/api/v1/jobs/unknown"),
            api.get("/api/v1/no-such-route"),
            api.post("/api/v1/jobs", "{\"type\":"),
            api.delete("/api/v1/jobs"),
            anonymous.get("/api/v1/jobs"),
            api.get("/health"),
            api.get("/health/ready"),
            api.get("/health/detailed"),
            anonymous.get("/health/live"),
            anonymous.get("/metrics"),
            api.get("/api/openapi.json"));

    for (Reply reply : replies) {
      assertThat(reply.header("X-Content-Type-Options")).as(reply.toString()).isEqualTo("nosniff");
      assertThat(reply.header("Cache-Control")).as(reply.toString()).isEqualTo("no-store");
    }
  }
}
