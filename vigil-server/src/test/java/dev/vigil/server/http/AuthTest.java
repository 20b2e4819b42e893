package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.ApiClient;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ConfigException;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthTest extends ServerTestSupport {
  private static final String TOKEN = "s3cret-token-0123456789";

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.apiToken(TOKEN).openPaths(List.of("/health/live", "/metrics", "/api/openapi.json"));
  }

  private ApiClient anonymous() {
    return api.withToken(null);
  }

  @Test
  void requests_without_a_token_are_401_problems_and_store_nothing() {
    Reply reply = anonymous().post("/api/v1/jobs", "{\"type\":\"t\"}");

    assertProblem(reply, 401);
    assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(api.get("/api/v1/jobs").json().get("jobs")).isEmpty();
    assertProblem(anonymous().get("/api/v1/stats"), 401);
    assertProblem(anonymous().get("/health/ready"), 401);
  }

  @Test
  void a_wrong_token_is_401() {
    assertProblem(api.withToken("s3cret-token-0123456780").get("/api/v1/jobs"), 401);
    assertProblem(api.withToken(TOKEN + "x").get("/api/v1/jobs"), 401);
    assertProblem(api.withToken("short").get("/api/v1/jobs"), 401);
  }

  @Test
  void another_scheme_is_401() {
    Reply reply = anonymous().send(anonymous().request("/api/v1/jobs").header("Authorization", "Basic " + TOKEN).GET());

    assertProblem(reply, 401);
  }

  @Test
  void the_right_token_is_accepted_whatever_the_case_of_the_scheme() {
    assertThat(api.get("/api/v1/jobs").status()).isEqualTo(200);
    Reply lower = anonymous().send(anonymous().request("/api/v1/jobs").header("Authorization", "bearer " + TOKEN).GET());
    assertThat(lower.status()).isEqualTo(200);
  }

  @Test
  void unknown_paths_answer_401_before_404_so_nothing_leaks() {
    assertProblem(anonymous().get("/api/v1/secret-admin"), 401);
  }

  @Test
  void open_paths_stay_open() {
    assertThat(anonymous().get("/health/live").status()).isEqualTo(200);
    assertThat(anonymous().get("/api/openapi.json").status()).isEqualTo(200);
    assertThat(anonymous().get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void no_server_starts_with_an_open_path_that_would_serve_a_change_without_the_token() {
    for (String open : List.of("/*", "/api/*", "/api/v1/jobs/*", "/api/v1/jobs", "/api/v1/schedules/*")) {
      assertThatThrownBy(() -> ServerConfig.builder().apiToken(TOKEN).openPaths(List.of(open)).build())
          .as(open)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("would open");
    }
  }

  @Test
  void dot_segments_do_not_open_a_closed_path() {
    Reply reply = anonymous().get("/health/live/../../api/v1/stats");

    assertThat(reply.status()).isNotEqualTo(200);
  }
}
