package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.limits.LimitRule;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs with limit keys over HTTP: a held job's JSON, {@code GET /api/v1/limits}, bad keys refused. */
class LimitsApiTest extends ServerTestSupport {
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<String> started = ConcurrentHashMap.newKeySet();

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.limits(List.of(
        new LimitRule("user:*", null, null, null, 1),
        new LimitRule("provider:openai", 500, 200_000L, Duration.ofDays(1), null)));  // refills slower than the test runs
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("reply", ctx -> {
      started.add(ctx.jobId());
      release.await();
    });
  }

  @AfterEach
  void letGo() {
    release.countDown();
  }

  private JsonNode enqueue(String body) {
    var reply = api.post("/api/v1/jobs", body);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    return reply.json();
  }

  @Test
  void a_job_over_its_concurrency_key_is_ready_and_held_and_limits_show_the_key() {
    String first = enqueue("""
        {"type":"reply","lane":"cognition","limit_keys":["provider:openai"],"concurrency_key":"user:42","cost":1200}""")
        .get("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> started.contains(first));
    JsonNode second = enqueue("""
        {"type":"reply","lane":"cognition","limit_keys":["provider:openai"],"concurrency_key":"user:42","cost":800}""");
    assertThat(second.get("limit_keys")).extracting(JsonNode::asText).containsExactly("provider:openai");
    assertThat(second.get("concurrency_key").asText()).isEqualTo("user:42");
    assertThat(second.get("cost").asLong()).isEqualTo(800);

    String id = second.get("id").asText();
    JsonNode held = await().atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/jobs/" + id).json(), j -> !j.get("held").isNull());
    assertThat(held.get("state").asText()).isEqualTo("ready");
    assertThat(held.get("attempt").asInt()).isZero();
    assertThat(held.get("held").get("by").asText()).isEqualTo("limit");
    assertThat(held.get("held").get("key").asText()).isEqualTo("user:42");
    assertThat(Instant.parse(held.get("held").get("until").asText())).isAfter(Instant.now());

    JsonNode limits = api.get("/api/v1/limits").json().get("limits");
    assertThat(limits).hasSize(2);
    JsonNode openai = limits.get(0);
    assertThat(openai.get("key").asText()).isEqualTo("provider:openai");
    assertThat(openai.get("rate").asInt()).isEqualTo(500);
    assertThat(openai.get("window_ms").asLong()).isEqualTo(86_400_000);
    assertThat(openai.get("available").asLong()).as("one start drawn").isEqualTo(499);
    assertThat(openai.get("units_available").asLong()).as("the first job's cost drawn (2.3 units come back a second)")
        .isBetween(198_800L, 199_000L);
    JsonNode user = limits.get(1);
    assertThat(user.get("key").asText()).isEqualTo("user:42");
    assertThat(user.get("concurrency").asInt()).isEqualTo(1);
    assertThat(user.get("running").asLong()).isEqualTo(1);
    assertThat(user.get("waiting").asLong()).isEqualTo(1);
  }

  @Test
  void bad_keys_and_costs_are_refused_naming_the_field_and_store_nothing() {
    var refused = List.of(
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"limit_keys\":[\"tenant:*\"]}"),
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"limit_keys\":\"provider:openai\"}"),
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"limit_keys\":[\"a\",\"a\"]}"),
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"limit_keys\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}"),
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"concurrency_key\":\"user 42\"}"),
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"cost\":-1}"),
        api.post("/api/v1/jobs", "{\"type\":\"reply\",\"cost\":\"many\"}"));
    assertThat(refused).allSatisfy(r -> {
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.json().get("errors").get(0).get("field").asText()).isIn("limit_keys", "concurrency_key", "cost");
    });
    assertThat(api.get("/api/v1/stats").json().get("jobs").get("total").asLong()).isZero();
  }
}
