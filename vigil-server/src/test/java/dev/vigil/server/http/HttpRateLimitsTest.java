package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import dev.vigil.server.http.HttpLimitSettings.Quota;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * HTTP rate limits switched on, with quotas that cannot refill while a test runs (per hour): the
 * request after the quota is refused with 429, every answer of a limited route says what is left,
 * and the classes, health and metrics stay apart.
 */
class HttpRateLimitsTest extends ServerTestSupport {
  private static final Pattern RATE_LIMIT = Pattern.compile("\"(\\w+)\";r=(\\d+);t=(\\d+)");
  private static final String ENQUEUE = "{\"type\":\"t\",\"lane\":\"background\",\"payload\":{}}";

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.httpLimits(new HttpLimitSettings(true, Quota.parse("5/1h"), Quota.parse("3/1h"), Quota.parse("4/1h")));
  }

  @Test
  void the_sixth_read_in_the_window_is_refused_with_429_retry_after_and_both_ratelimit_fields() {
    var remaining = new ArrayList<Long>();
    for (int i = 0; i < 5; i++) {
      Reply ok = api.get("/api/v1/jobs");
      assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
      assertThat(ok.header("RateLimit-Policy")).isEqualTo("\"read\";q=5;w=3600");
      remaining.add(remaining(ok, "read"));
      assertThat(resetSeconds(ok)).isBetween(1L, 3600L);
    }

    Reply refused = api.get("/api/v1/jobs");

    assertThat(remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
    assertProblem(refused, 429);
    assertThat(refused.json().get("type").asText()).isEqualTo("https://vigil.dev/problems/rate-limited");
    assertThat(refused.json().get("detail").asText()).contains("read", "5/1h");
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 3600L);
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"read\";q=5;w=3600");
    assertThat(remaining(refused, "read")).isZero();
    assertThat(resetSeconds(refused)).isEqualTo(retryAfter);
  }

  @Test
  void a_refused_write_stores_nothing_and_is_counted_by_route_class() {
    for (int i = 0; i < 3; i++) {
      assertThat(api.post("/api/v1/jobs", ENQUEUE).status()).isEqualTo(201);
    }

    Reply refused = api.post("/api/v1/jobs", ENQUEUE);

    assertProblem(refused, 429);
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"write\";q=3;w=3600");
    assertThat(api.get("/api/v1/jobs").json().get("jobs")).hasSize(3);
    var scrape = new Scrape(api.get("/metrics").text());
    assertThat(scrape.value("vigil_http_rate_limited_total", "route_class", "write")).isEqualTo(1.0);
    assertThat(scrape.value("vigil_http_rate_limited_total", "route_class", "read")).isZero();
    assertThat(scrape.samples()).filteredOn(l -> l.startsWith("vigil_http_rate_limited_total"))
        .allSatisfy(l -> assertThat(l).doesNotContain("127.0.0.1", "client", "address"));
  }

  @Test
  void exhausting_writes_leaves_reads_and_claims_alone() {
    for (int i = 0; i < 4; i++) {
      api.post("/api/v1/lanes/background/pause");
    }
    assertProblem(api.post("/api/v1/lanes/background/resume"), 429);

    Reply read = api.get("/api/v1/lanes");
    Reply claim = api.post("/api/v1/claim", "{\"worker_id\":\"w\",\"lanes\":[\"social\"],\"max\":1,\"wait_ms\":0}");

    assertThat(read.status()).isEqualTo(200);
    assertThat(remaining(read, "read")).isEqualTo(4);
    assertThat(claim.status()).as(claim.toString()).isEqualTo(200);
    assertThat(claim.header("RateLimit-Policy")).isEqualTo("\"claim\";q=4;w=3600");
    assertThat(remaining(claim, "claim")).isEqualTo(3);
  }

  @Test
  void the_worker_routes_count_as_claims_and_their_errors_carry_the_fields_too() {
    String unknown = "/api/v1/jobs/00000000-0000-0000-0000-000000000000";
    List<Reply> replies =
        List.of(
            api.post(unknown + "/heartbeat", "{\"lease_token\":\"x\"}"),
            api.post(unknown + "/complete", "{\"lease_token\":\"x\"}"),
            api.post(unknown + "/fail", "{\"lease_token\":\"x\",\"error\":{\"type\":\"E\",\"message\":\"m\"}}"),
            api.post("/api/v1/claim", "{\"worker_id\":\"w\",\"max\":0}"));

    assertThat(replies).extracting(Reply::status).doesNotContain(200, 429);
    assertThat(replies).extracting(r -> r.header("RateLimit-Policy")).containsOnly("\"claim\";q=4;w=3600");
    assertThat(replies).extracting(r -> remaining(r, "claim")).containsExactly(3L, 2L, 1L, 0L);
    assertProblem(api.post("/api/v1/claim", "{\"worker_id\":\"w\",\"lanes\":[\"social\"],\"wait_ms\":0}"), 429);
  }

  @Test
  void health_metrics_and_the_openapi_document_are_never_limited() {
    for (String path : List.of("/health", "/health/live", "/health/ready", "/health/detailed", "/metrics", "/api/openapi.json")) {
      for (int i = 0; i < 8; i++) {
        Reply reply = api.get(path);
        assertThat(reply.status()).as(path).isNotEqualTo(429);
        assertThat(reply.header("RateLimit")).as(path).isNull();
        assertThat(reply.header("RateLimit-Policy")).as(path).isNull();
      }
    }
  }

  @Test
  void unknown_paths_are_not_counted() {
    for (int i = 0; i < 8; i++) {
      assertProblem(api.get("/api/v1/nothing-here"), 404);
    }

    assertThat(remaining(api.get("/api/v1/jobs"), "read")).isEqualTo(4);
  }

  static long remaining(Reply reply, String routeClass) {
    Matcher m = RATE_LIMIT.matcher(String.valueOf(reply.header("RateLimit")));
    assertThat(m.matches()).as("RateLimit: " + reply.header("RateLimit")).isTrue();
    assertThat(m.group(1)).isEqualTo(routeClass);
    return Long.parseLong(m.group(2));
  }

  static long resetSeconds(Reply reply) {
    Matcher m = RATE_LIMIT.matcher(String.valueOf(reply.header("RateLimit")));
    assertThat(m.matches()).as("RateLimit: " + reply.header("RateLimit")).isTrue();
    return Long.parseLong(m.group(3));
  }
}
